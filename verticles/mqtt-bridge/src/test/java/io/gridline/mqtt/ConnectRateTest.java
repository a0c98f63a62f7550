package io.gridline.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The per-address CONNECT buckets: the rate, and the bound on the map of addresses (clients choose them). */
class ConnectRateTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void anAddressGetsItsRateWithBurstsOfOneSecondsWorth() {
    ConnectRate rate = new ConnectRate();
    long t = 0;
    assertTrue(rate.tryConnect("10.0.0.1", 2, t));
    assertTrue(rate.tryConnect("10.0.0.1", 2, t));
    assertFalse(rate.tryConnect("10.0.0.1", 2, t));
    assertTrue(rate.tryConnect("10.0.0.2", 2, t), "another address has its own bucket");
    assertTrue(rate.tryConnect("10.0.0.1", 2, t + SECOND / 2), "half a second refills one");
    assertFalse(rate.tryConnect("10.0.0.1", 2, t + SECOND / 2));
  }

  @Test
  void idleAddressesAreForgottenAndTheMapIsBounded() {
    ConnectRate rate = new ConnectRate();
    long t = 0;
    for (int i = 0; i < ConnectRate.MAX_ADDRESSES; i++) {
      rate.tryConnect("a" + i, 5, t);
    }
    assertEquals(ConnectRate.MAX_ADDRESSES, rate.addresses());
    assertFalse(rate.tryConnect("newcomer", 5, t), "a full map takes no new address");
    assertEquals(ConnectRate.MAX_ADDRESSES, rate.addresses());

    // a second later every bucket has refilled: the next CONNECT sweeps them all away
    assertTrue(rate.tryConnect("newcomer", 5, t + 2 * SECOND));
    assertEquals(1, rate.addresses());
  }
}
