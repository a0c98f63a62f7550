package io.gridline.lrwn.frame;

/**
 * The 32-bit frame counter behind the 16 bits a frame carries. The session keeps the counter it expects next (0 after
 * a join, the last accepted + 1 after that); a frame's counter is the first value from there on whose low 16 bits match
 * what arrived, if it is at most {@link #MAX_FCNT_GAP} past the last accepted one. Anything else is a retransmission of
 * the last frame, a replay of an older one, or a gap the network cannot trust (LoRaWAN 1.0.x §4.3.1.5, MAX_FCNT_GAP).
 */
public final class FCnt {
  public static final int MAX_FCNT_GAP = 16384;
  public static final long MAX = 0xFFFF_FFFFL;

  private FCnt() {}

  /** What the 16 bits on air turned out to be. */
  public sealed interface Outcome {}

  /** A new frame: {@code fCnt} is its counter; {@code lost} frames were skipped since the last accepted one. */
  public record Accepted(long fCnt, long lost) implements Outcome {}

  /** The counter of the last accepted frame again: a retransmission (NbTrans, or a confirmed uplink's retry). */
  public record Retransmission(long fCnt) implements Outcome {}

  /** An older counter than the last accepted frame's: a replay, refused. */
  public record Replay(long fCnt) implements Outcome {}

  /** More than MAX_FCNT_GAP past the last accepted frame, or past 2^32 - 1: refused. */
  public record GapTooLarge(long gap) implements Outcome {}

  /**
   * @param nextExpected the counter the session expects next, 0..2^32 (2^32: the counter is used up)
   * @param onAir the 16-bit FCnt of the frame
   */
  public static Outcome reconstruct(long nextExpected, int onAir) {
    if (nextExpected < 0 || nextExpected > MAX + 1) {
      throw new IllegalArgumentException("the next counter lies in 0..2^32: " + nextExpected);
    }
    if (onAir < 0 || onAir > 0xFFFF) {
      throw new IllegalArgumentException("an FCnt on air has 16 bits: " + onAir);
    }
    long gap = (onAir - nextExpected) & 0xFFFF;
    if (gap < MAX_FCNT_GAP) {
      long fCnt = nextExpected + gap;
      return fCnt > MAX ? new GapTooLarge(gap) : new Accepted(fCnt, gap);
    }
    long back = (nextExpected - onAir) & 0xFFFF; // 1..: how far behind the next expected counter
    long fCnt = nextExpected - back;
    if (fCnt < 0 || back > MAX_FCNT_GAP) {
      return new GapTooLarge(gap);
    }
    return back == 1 ? new Retransmission(fCnt) : new Replay(fCnt);
  }

  /** The 16 bits a counter puts on air. */
  public static int onAir(long fCnt32) {
    return (int) (fCnt32 & 0xFFFF);
  }
}
