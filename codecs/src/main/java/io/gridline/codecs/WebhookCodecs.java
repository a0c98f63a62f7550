package io.gridline.codecs;

import io.gridline.contracts.webhooks.DeliveryOutcome;
import io.gridline.contracts.webhooks.DeliveryRequest;
import java.util.List;

/** Codecs for the webhooks verticle's request/reply records. */
final class WebhookCodecs {
  private WebhookCodecs() {}

  static final RecordCodec<DeliveryRequest> DELIVERY_REQUEST = new RecordCodec<>(DeliveryRequest.class) {
    @Override
    void write(WireWriter out, DeliveryRequest v) {
      out.writeLong(v.deliveryId()).writeString(v.tenantId());
    }

    @Override
    DeliveryRequest read(WireReader in) {
      return new DeliveryRequest(in.readLong(), in.readString());
    }
  };

  static final RecordCodec<DeliveryOutcome> DELIVERY_OUTCOME = new RecordCodec<>(DeliveryOutcome.class) {
    @Override
    void write(WireWriter out, DeliveryOutcome v) {
      out.writeLong(v.deliveryId()).writeString(v.status()).writeInt(v.attempts()).writeInt(v.statusCode())
          .writeString(v.error());
    }

    @Override
    DeliveryOutcome read(WireReader in) {
      return new DeliveryOutcome(in.readLong(), in.readString(), in.readInt(), in.readInt(), in.readString());
    }
  };

  static List<RecordCodec<?>> all() {
    return List.of(DELIVERY_REQUEST, DELIVERY_OUTCOME);
  }
}
