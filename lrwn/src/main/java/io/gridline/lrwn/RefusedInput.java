package io.gridline.lrwn;

import java.util.Locale;

/**
 * What a pure decoder throws for input it refuses: one subclass per layer ({@code FrameException},
 * {@code MacCommandException}, {@code SemtechPacketException}), each with its own reason enum. The label, the reason's
 * name in kebab case ({@code TOO_SHORT} → {@code too-short}), is the metrics label the verticle counts refusals by.
 * Checked, so a caller cannot forget the refusal; without a stack trace, because refusals are expected traffic (a noisy
 * channel, a scanner, a fuzzer), not bugs, and must stay cheap.
 */
public abstract class RefusedInput extends Exception {
  private final Enum<?> reason;

  protected RefusedInput(Enum<?> reason, String detail) {
    super(detail, null, false, false);
    this.reason = reason;
  }

  /** The metrics label of a reason; for registering one counter per reason before any refusal. */
  public static String label(Enum<?> reason) {
    return reason.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public Enum<?> reason() {
    return reason;
  }

  public String label() {
    return label(reason);
  }

  @Override
  public String getMessage() {
    return label() + ": " + super.getMessage();
  }
}
