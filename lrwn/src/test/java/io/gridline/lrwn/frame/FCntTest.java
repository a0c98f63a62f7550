package io.gridline.lrwn.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gridline.lrwn.frame.FCnt.Accepted;
import io.gridline.lrwn.frame.FCnt.GapTooLarge;
import io.gridline.lrwn.frame.FCnt.Replay;
import io.gridline.lrwn.frame.FCnt.Retransmission;
import org.junit.jupiter.api.Test;

class FCntTest {
  @Test
  void theFirstFrameAfterAJoinIsAcceptedAtItsOwnCounter() {
    assertEquals(new Accepted(0, 0), FCnt.reconstruct(0, 0));
    assertEquals(new Accepted(5, 5), FCnt.reconstruct(0, 5));
  }

  @Test
  void theCounterRollsOverFrom65535IntoTheNextHighWord() {
    assertEquals(new Accepted(65535, 0), FCnt.reconstruct(65535, 65535));
    assertEquals(new Accepted(65536, 0), FCnt.reconstruct(65536, 0));
    assertEquals(new Accepted(65536, 1), FCnt.reconstruct(65535, 0));
    assertEquals(new Accepted(0x2_0003L, 4), FCnt.reconstruct(0x1_FFFFL, 3));
  }

  @Test
  void lostFramesUpToTheMaxGapAreAcceptedAndBeyondItRefused() {
    assertEquals(new Accepted(10 + FCnt.MAX_FCNT_GAP - 1, FCnt.MAX_FCNT_GAP - 1),
        FCnt.reconstruct(10, 10 + FCnt.MAX_FCNT_GAP - 1));
    assertEquals(new GapTooLarge(FCnt.MAX_FCNT_GAP), FCnt.reconstruct(10, 10 + FCnt.MAX_FCNT_GAP));
    assertEquals(new GapTooLarge(30000), FCnt.reconstruct(0, 30000));
  }

  @Test
  void theLastCounterAgainIsARetransmissionAndOlderOnesAreReplays() {
    assertEquals(new Retransmission(99), FCnt.reconstruct(100, 99));
    assertEquals(new Replay(50), FCnt.reconstruct(100, 50));
    assertEquals(new Retransmission(65535), FCnt.reconstruct(65536, 65535));
    assertEquals(new Replay(0x1_FFF0L), FCnt.reconstruct(0x2_0005L, 0xFFF0));
  }

  @Test
  void withoutAnyEarlierFrameAnOldLookingCounterIsNoReplayButAGap() {
    assertEquals(new GapTooLarge(65535), FCnt.reconstruct(0, 65535));
  }

  @Test
  void theCounterCannotPassTwoToThe32() {
    assertEquals(new Accepted(FCnt.MAX, 0), FCnt.reconstruct(FCnt.MAX, 0xFFFF));
    assertEquals(new GapTooLarge(0), FCnt.reconstruct(FCnt.MAX + 1, 0));
    assertEquals(new Retransmission(FCnt.MAX), FCnt.reconstruct(FCnt.MAX + 1, 0xFFFF));
    assertThrows(IllegalArgumentException.class, () -> FCnt.reconstruct(-1, 0));
    assertThrows(IllegalArgumentException.class, () -> FCnt.reconstruct(0, 65536));
  }
}
