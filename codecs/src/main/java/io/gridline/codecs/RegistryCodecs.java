package io.gridline.codecs;

import io.gridline.contracts.registry.ApiKeyRevoked;
import io.gridline.contracts.registry.DeviceChanged;
import java.util.List;

/** Codecs for the registry records. */
final class RegistryCodecs {
  private RegistryCodecs() {}

  static final RecordCodec<DeviceChanged> DEVICE_CHANGED = new RecordCodec<>(DeviceChanged.class) {
    @Override
    void write(WireWriter out, DeviceChanged v) {
      out.writeLong(v.deviceId()).writeString(v.tenantId()).writeString(v.kind()).writeString(v.externalId())
          .writeByte(v.change().ordinal());
    }

    @Override
    DeviceChanged read(WireReader in) {
      return new DeviceChanged(in.readLong(), in.readString(), in.readString(), in.readString(),
          DeviceChanged.Change.values()[in.readByte()]);
    }
  };

  static final RecordCodec<ApiKeyRevoked> API_KEY_REVOKED = new RecordCodec<>(ApiKeyRevoked.class) {
    @Override
    void write(WireWriter out, ApiKeyRevoked v) {
      out.writeString(v.keyId()).writeString(v.tenantId());
    }

    @Override
    ApiKeyRevoked read(WireReader in) {
      return new ApiKeyRevoked(in.readString(), in.readString());
    }
  };

  static List<RecordCodec<?>> all() {
    return List.of(DEVICE_CHANGED, API_KEY_REVOKED);
  }
}
