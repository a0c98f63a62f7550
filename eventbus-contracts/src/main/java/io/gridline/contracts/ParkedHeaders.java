package io.gridline.contracts;

/**
 * Headers of a parked record ({@link Topics#TELEMETRY_PARKED}, {@link Topics#EVENTS_PARKED}). The value and key are the
 * original record's, byte for byte, so producing it again to {@link #SOURCE_TOPIC} replays it.
 */
public final class ParkedHeaders {
  /** The topic the record was read from. */
  public static final String SOURCE_TOPIC = "gridline-source-topic";
  /** Its partition (decimal text). */
  public static final String SOURCE_PARTITION = "gridline-source-partition";
  /** Its offset (decimal text). */
  public static final String SOURCE_OFFSET = "gridline-source-offset";
  /** Why it was parked: a short reason code ({@code permanent-error}, {@code attempts-exhausted}). */
  public static final String REASON = "gridline-parked-reason";
  /** The last error's text (capped). */
  public static final String ERROR = "gridline-parked-error";
  /** How many attempts were made. */
  public static final String ATTEMPTS = "gridline-parked-attempts";
  /** Which verticle parked it. */
  public static final String PARKED_BY = "gridline-parked-by";

  private ParkedHeaders() {}
}
