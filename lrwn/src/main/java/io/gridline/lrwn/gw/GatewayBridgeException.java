package io.gridline.lrwn.gw;

import io.gridline.lrwn.RefusedInput;

/** A ChirpStack Gateway Bridge message the codec refuses; nothing else escapes its decoders. */
public final class GatewayBridgeException extends RefusedInput {
  public enum Reason {
    /** The payload is no JSON object. */
    BAD_JSON,
    /** A field is missing, of the wrong type or out of range (the detail names it). */
    BAD_FIELD,
    /** An uplink in a modulation other than LoRa (FSK, LR-FHSS): this network server handles LoRa only. */
    UNSUPPORTED_MODULATION
  }

  public GatewayBridgeException(Reason reason, String detail) {
    super(reason, detail);
  }

  @Override
  public Reason reason() {
    return (Reason) super.reason();
  }
}
