package io.gridline.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PartitionProgressTest {
  @Test
  void onlyAnUnbrokenRunOfDurableRecordsBecomesCommittable() {
    PartitionProgress p = new PartitionProgress();
    Runnable r10 = p.received(10);
    Runnable r11 = p.received(11);
    Runnable r12 = p.received(12);
    assertEquals(-1, p.toCommit());
    r11.run();
    r12.run();
    assertEquals(-1, p.toCommit(), "10 is not durable yet: committing 13 would skip it after a crash");
    r10.run();
    assertEquals(13, p.toCommit());
    p.committed(13);
    assertEquals(-1, p.toCommit(), "nothing new since the last commit");
    assertTrue(p.idle());
    p.received(13).run();
    assertEquals(14, p.toCommit());
  }
}
