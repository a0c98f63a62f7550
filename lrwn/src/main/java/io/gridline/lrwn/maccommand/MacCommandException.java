package io.gridline.lrwn.maccommand;

import io.gridline.lrwn.RefusedInput;
import java.util.List;

/**
 * MAC commands that cannot be read to the end. A command has no length field, so after an unknown CID or a short
 * command the rest cannot be framed and parsing stops; {@link #parsed()} keeps the commands before it.
 */
public final class MacCommandException extends RefusedInput {
  public enum Reason {
    /** A CID LoRaWAN 1.0.x does not define for that direction (or a proprietary one, 0x80..0xFF). */
    UNKNOWN_CID,
    /** A known CID with fewer payload octets left than it needs. */
    TRUNCATED
  }

  private final int cid;
  private final int offset;
  private final List<MacCommand> parsed;

  MacCommandException(Reason reason, int cid, int offset, List<MacCommand> parsed) {
    super(reason, String.format("CID 0x%02x at offset %d", cid, offset));
    this.cid = cid;
    this.offset = offset;
    this.parsed = List.copyOf(parsed);
  }

  @Override
  public Reason reason() {
    return (Reason) super.reason();
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
}
