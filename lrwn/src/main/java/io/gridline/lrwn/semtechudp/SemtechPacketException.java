package io.gridline.lrwn.semtechudp;

import io.gridline.lrwn.RefusedInput;

/** A UDP datagram the Semtech packet-forwarder codec refuses; nothing else escapes the decoder. */
public final class SemtechPacketException extends RefusedInput {
  public enum Reason {
    /** Shorter than the header its identifier needs (4 octets, 12 with a gateway EUI). */
    TOO_SHORT,
    /** Protocol version other than 1 or 2. */
    UNKNOWN_VERSION,
    /** Identifier other than 0x00..0x05. */
    UNKNOWN_IDENTIFIER,
    /** The body is no JSON object. */
    BAD_JSON,
    /** A JSON field is missing, of the wrong type or out of range (the detail names it). */
    BAD_FIELD,
    /** An {@code rxpk} or {@code txpk} in a modulation other than LORA or FSK (such as LR-FHSS). */
    UNSUPPORTED_MODULATION
  }

  public SemtechPacketException(Reason reason, String detail) {
    super(reason, detail);
  }

  @Override
  public Reason reason() {
    return (Reason) super.reason();
  }
}
