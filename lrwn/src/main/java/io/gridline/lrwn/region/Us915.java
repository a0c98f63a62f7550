package io.gridline.lrwn.region;

import io.gridline.lrwn.frame.CfList;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * US902-928 (RP 1.0.3 revA §2.5): 64 uplink channels of 125 kHz from 902.3 MHz every 200 kHz, 8 of 500 kHz from
 * 903.0 MHz every 1.6 MHz, 8 downlink channels of 500 kHz from 923.3 MHz every 600 kHz. RX1 answers on downlink
 * channel (uplink channel mod 8).
 */
public final class Us915 implements RegionParams {
  public static final Us915 INSTANCE = new Us915();

  private static final Map<Integer, DataRate> UPLINK_RATES = Map.of(
      0, DataRate.lora(10, 125),
      1, DataRate.lora(9, 125),
      2, DataRate.lora(8, 125),
      3, DataRate.lora(7, 125),
      4, DataRate.lora(8, 500));
  private static final Map<Integer, DataRate> DOWNLINK_RATES = Map.of(
      8, DataRate.lora(12, 500),
      9, DataRate.lora(11, 500),
      10, DataRate.lora(10, 500),
      11, DataRate.lora(9, 500),
      12, DataRate.lora(8, 500),
      13, DataRate.lora(7, 500));
  /** RX1 DR by uplink DR (row) and RX1DROffset 0..3 (column). */
  private static final int[][] RX1_DATA_RATE = {
      {10, 9, 8, 8},
      {11, 10, 9, 8},
      {12, 11, 10, 9},
      {13, 12, 11, 10},
      {13, 13, 12, 11}};
  private static final Map<Integer, MaxPayload> MAX_PAYLOAD = Map.ofEntries(
      Map.entry(0, new MaxPayload(19, 11)),
      Map.entry(1, new MaxPayload(61, 53)),
      Map.entry(2, new MaxPayload(133, 125)),
      Map.entry(3, new MaxPayload(250, 242)),
      Map.entry(4, new MaxPayload(250, 242)),
      Map.entry(8, new MaxPayload(61, 53)),
      Map.entry(9, new MaxPayload(137, 129)),
      Map.entry(10, new MaxPayload(250, 242)),
      Map.entry(11, new MaxPayload(250, 242)),
      Map.entry(12, new MaxPayload(250, 242)),
      Map.entry(13, new MaxPayload(250, 242)));

  private static final long UPLINK_125_FIRST = 902_300_000L;
  private static final long UPLINK_125_STEP = 200_000L;
  private static final long UPLINK_500_FIRST = 903_000_000L;
  private static final long UPLINK_500_STEP = 1_600_000L;
  private static final long DOWNLINK_FIRST = 923_300_000L;
  private static final long DOWNLINK_STEP = 600_000L;

  private Us915() {}

  @Override
  public String name() {
    return "US915";
  }

  @Override
  public Map<Integer, DataRate> uplinkDataRates() {
    return UPLINK_RATES;
  }

  @Override
  public Map<Integer, DataRate> downlinkDataRates() {
    return DOWNLINK_RATES;
  }

  /** @return the uplink channel 0..71 whose centre is {@code hz}, or empty when none is */
  public OptionalInt uplinkChannel(long hz) {
    long from125 = hz - UPLINK_125_FIRST;
    if (from125 >= 0 && from125 % UPLINK_125_STEP == 0 && from125 / UPLINK_125_STEP < 64) {
      return OptionalInt.of((int) (from125 / UPLINK_125_STEP));
    }
    long from500 = hz - UPLINK_500_FIRST;
    if (from500 >= 0 && from500 % UPLINK_500_STEP == 0 && from500 / UPLINK_500_STEP < 8) {
      return OptionalInt.of(64 + (int) (from500 / UPLINK_500_STEP));
    }
    return OptionalInt.empty();
  }

  @Override
  public int maxRx1DrOffset() {
    return 3;
  }

  @Override
  public int rx1DataRate(int uplinkDr, int rx1DrOffset) {
    if (uplinkDr < 0 || uplinkDr >= RX1_DATA_RATE.length || rx1DrOffset < 0 || rx1DrOffset > maxRx1DrOffset()) {
      throw new IllegalArgumentException("US915 has no RX1 rate for DR" + uplinkDr + " offset " + rx1DrOffset);
    }
    return RX1_DATA_RATE[uplinkDr][rx1DrOffset];
  }

  /** 923.3 MHz + 600 kHz × (uplink channel mod 8). */
  @Override
  public OptionalLong rx1Frequency(long uplinkHz) {
    OptionalInt channel = uplinkChannel(uplinkHz);
    return channel.isPresent()
        ? OptionalLong.of(DOWNLINK_FIRST + DOWNLINK_STEP * (channel.getAsInt() % 8))
        : OptionalLong.empty();
  }

  @Override
  public long rx2Frequency() {
    return 923_300_000L;
  }

  @Override
  public int rx2DataRate() {
    return 8;
  }

  @Override
  public MaxPayload maxPayload(int dr) {
    MaxPayload max = MAX_PAYLOAD.get(dr);
    if (max == null) {
      throw new IllegalArgumentException("US915 has no DR" + dr);
    }
    return max;
  }

  /** US915 devices know all 72 channels; a network restricts them with LinkADRReq, not a CFList, in 1.0.x. */
  @Override
  public Optional<CfList> cfList() {
    return Optional.empty();
  }
}
