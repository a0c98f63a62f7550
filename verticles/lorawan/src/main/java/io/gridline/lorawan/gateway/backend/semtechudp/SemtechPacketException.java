package io.gridline.lorawan.gateway.backend.semtechudp;

/**
 * A UDP datagram the Semtech packet-forwarder codec refuses. Every malformed datagram ends here, never in an unchecked
 * exception; {@link Reason#label()} is the metrics label.
 */
public final class SemtechPacketException extends Exception {
  public enum Reason {
    /** Shorter than the header its identifier needs (4 octets, 12 with a gateway EUI). */
    TOO_SHORT("too-short"),
    /** Protocol version other than 1 or 2. */
    UNKNOWN_VERSION("unknown-version"),
    /** Identifier other than 0x00..0x05. */
    UNKNOWN_IDENTIFIER("unknown-identifier"),
    /** The body is no JSON object. */
    BAD_JSON("bad-json"),
    /** A JSON field is missing, of the wrong type or out of range (the detail names it). */
    BAD_FIELD("bad-field"),
    /** An {@code rxpk} or {@code txpk} in a modulation other than LORA or FSK (such as LR-FHSS). */
    UNSUPPORTED_MODULATION("unsupported-modulation");

    private final String label;

    Reason(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  private final Reason reason;

  public SemtechPacketException(Reason reason, String detail) {
    // no stack trace: a refused datagram is expected traffic (scanners, misconfigured gateways), and must stay cheap
    super(detail, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  @Override
  public String getMessage() {
    return reason.label + ": " + super.getMessage();
  }
}
