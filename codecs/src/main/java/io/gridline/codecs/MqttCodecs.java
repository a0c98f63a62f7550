package io.gridline.codecs;

import io.gridline.contracts.mqtt.CommandResult;
import io.gridline.contracts.mqtt.DeviceCommand;
import java.util.List;

/** Codecs for the MQTT command records. */
final class MqttCodecs {
  private MqttCodecs() {}

  static final RecordCodec<DeviceCommand> DEVICE_COMMAND = new RecordCodec<>(DeviceCommand.class) {
    @Override
    void write(WireWriter out, DeviceCommand v) {
      out.writeString(v.commandId()).writeString(v.tenantId()).writeLong(v.deviceId()).writeString(v.clientId())
          .writeString(v.topic()).writeString(v.payloadBase64()).writeByte(v.qos());
    }

    @Override
    DeviceCommand read(WireReader in) {
      return new DeviceCommand(in.readString(), in.readString(), in.readLong(), in.readString(), in.readString(),
          in.readString(), in.readByte());
    }
  };

  static final RecordCodec<CommandResult> COMMAND_RESULT = new RecordCodec<>(CommandResult.class) {
    @Override
    void write(WireWriter out, CommandResult v) {
      out.writeString(v.commandId()).writeByte(v.outcome().ordinal()).writeString(v.detail());
    }

    @Override
    CommandResult read(WireReader in) {
      return new CommandResult(in.readString(), CommandResult.Outcome.values()[in.readByte()], in.readString());
    }
  };

  static List<RecordCodec<?>> all() {
    return List.of(DEVICE_COMMAND, COMMAND_RESULT);
  }
}
