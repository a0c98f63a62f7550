package io.gridline.lorawan.uplink;

/**
 * Why an uplink or join request was not accepted; {@link #reason} is the metrics label. A refusal is an answer, not
 * an error: the frame is counted and dropped, and nothing else happens.
 */
public final class UplinkRefusal extends RuntimeException {
  public static final String MALFORMED = "malformed";
  public static final String UNEXPECTED_MTYPE = "unexpected-mtype";
  public static final String UNKNOWN_DEVADDR = "unknown-devaddr";
  public static final String MIC_MISMATCH = "mic-mismatch";
  public static final String REPLAY = "replay";
  public static final String RETRANSMISSION = "retransmission";
  public static final String FCNT_GAP = "fcnt-gap";
  public static final String UNKNOWN_DEV_EUI = "unknown-dev-eui";
  public static final String JOIN_EUI_MISMATCH = "join-eui-mismatch";
  public static final String NO_APP_KEY = "no-app-key";
  public static final String DEV_NONCE_REPLAY = "dev-nonce-replay";
  public static final String UNKNOWN_DATA_RATE = "unknown-data-rate";
  /** Redis did not answer the dedup steps (counted so that every frame is, then left: the gateway may resend). */
  public static final String DEDUP_UNAVAILABLE = "dedup-unavailable";

  private final String reason;

  public UplinkRefusal(String reason, String detail) {
    super(reason + ": " + detail, null, false, false);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
