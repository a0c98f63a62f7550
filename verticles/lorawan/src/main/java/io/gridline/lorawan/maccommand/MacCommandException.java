package io.gridline.lorawan.maccommand;

import java.util.List;

/**
 * MAC commands that cannot be read to the end. A command has no length field, so after an unknown CID or a short
 * command the rest cannot be framed and parsing stops; {@link #parsed()} keeps the commands before it, and
 * {@link Reason#label()} is the metrics label.
 */
public final class MacCommandException extends Exception {
  public enum Reason {
    /** A CID LoRaWAN 1.0.x does not define for that direction (or a proprietary one, 0x80..0xFF). */
    UNKNOWN_CID("unknown-cid"),
    /** A known CID with fewer payload octets left than it needs. */
    TRUNCATED("truncated");

    private final String label;

    Reason(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  private final Reason reason;
  private final int cid;
  private final int offset;
  private final List<MacCommand> parsed;

  MacCommandException(Reason reason, int cid, int offset, List<MacCommand> parsed) {
    super(String.format("CID 0x%02x at offset %d", cid, offset), null, false, false);
    this.reason = reason;
    this.cid = cid;
    this.offset = offset;
    this.parsed = List.copyOf(parsed);
  }

  public Reason reason() {
    return reason;
  }

  public int cid() {
    return cid;
  }

  /** Where the command that stopped parsing starts. */
  public int offset() {
    return offset;
  }

  /** The commands read before the one that stopped parsing. */
  public List<MacCommand> parsed() {
    return parsed;
  }

  @Override
  public String getMessage() {
    return reason.label + ": " + super.getMessage();
  }
}
