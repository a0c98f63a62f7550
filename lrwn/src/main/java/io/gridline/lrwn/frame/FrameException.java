package io.gridline.lrwn.frame;

import io.gridline.lrwn.RefusedInput;

/** A PHYPayload the frame layer refuses; every malformed frame ends here, never in an unchecked exception. */
public final class FrameException extends RefusedInput {
  public enum Reason {
    /** Fewer octets than the message type's smallest frame (data 12, JoinRequest 23, JoinAccept 17, any 1). */
    TOO_SHORT,
    /** More than 255 octets: no LoRa radio sends that. */
    TOO_LONG,
    /** MHDR Major other than LoRaWAN R1 (0). */
    UNSUPPORTED_MAJOR,
    /** MType 110: RFU in 1.0.x (RejoinRequest is 1.1). */
    UNSUPPORTED_MTYPE,
    /** A JoinRequest other than 23 octets, a JoinAccept other than 17 or 33. */
    BAD_LENGTH,
    /** FOptsLen points past the end of the frame. */
    FOPTS_OVERRUN,
    /** MAC commands in FOpts and in an FPort 0 FRMPayload at once, which LoRaWAN forbids. */
    FOPTS_WITH_PORT_ZERO,
    /** A JoinAccept CFList whose CFListType is neither 0 (frequencies) nor 1 (channel masks). */
    UNKNOWN_CFLIST_TYPE
  }

  public FrameException(Reason reason, String detail) {
    super(reason, detail);
  }

  @Override
  public Reason reason() {
    return (Reason) super.reason();
  }
}
