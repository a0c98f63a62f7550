package io.gridline.lorawan.frame;

/**
 * A PHYPayload the frame layer refuses. Every malformed frame ends here, never in an unchecked exception, and
 * {@link Reason#label()} is the metrics label the verticle counts rejects by.
 */
public final class FrameException extends Exception {
  public enum Reason {
    /** Fewer octets than the message type's smallest frame (data 12, JoinRequest 23, JoinAccept 17, any 1). */
    TOO_SHORT("too-short"),
    /** More than 255 octets: no LoRa radio sends that. */
    TOO_LONG("too-long"),
    /** MHDR Major other than LoRaWAN R1 (0). */
    UNSUPPORTED_MAJOR("unsupported-major"),
    /** MType 110: RFU in 1.0.x (RejoinRequest is 1.1). */
    UNSUPPORTED_MTYPE("unsupported-mtype"),
    /** A JoinRequest other than 23 octets, a JoinAccept other than 17 or 33. */
    BAD_LENGTH("bad-length"),
    /** FOptsLen points past the end of the frame. */
    FOPTS_OVERRUN("fopts-overrun"),
    /** MAC commands in FOpts and in an FPort 0 FRMPayload at once, which LoRaWAN forbids. */
    FOPTS_WITH_PORT_ZERO("fopts-with-port-zero"),
    /** A JoinAccept CFList whose CFListType is neither 0 (frequencies) nor 1 (channel masks). */
    UNKNOWN_CFLIST_TYPE("unknown-cflist-type");

    private final String label;

    Reason(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  private final Reason reason;

  public FrameException(Reason reason, String detail) {
    // no stack trace: refusals are expected traffic (a noisy channel, a fuzzer), not bugs, and must stay cheap
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
