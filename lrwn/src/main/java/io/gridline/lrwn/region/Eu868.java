package io.gridline.lrwn.region;

import io.gridline.lrwn.frame.CfList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** EU863-870 (RP 1.0.3 revA §2.2): dynamic channels, RX1 on the uplink frequency, CFList type 0. */
public final class Eu868 implements RegionParams {
  public static final Eu868 INSTANCE = new Eu868();

  /** The three channels every device knows from the start. */
  public static final List<Long> DEFAULT_CHANNELS = List.of(868_100_000L, 868_300_000L, 868_500_000L);
  /** Channels 3..7 the JoinAccept adds (the ChirpStack and TTN default plan). */
  public static final List<Long> EXTRA_CHANNELS =
      List.of(867_100_000L, 867_300_000L, 867_500_000L, 867_700_000L, 867_900_000L);

  private static final long BAND_LOW = 863_000_000L;
  private static final long BAND_HIGH = 870_000_000L;
  private static final Map<Integer, DataRate> DATA_RATES = Map.of(
      0, DataRate.lora(12, 125),
      1, DataRate.lora(11, 125),
      2, DataRate.lora(10, 125),
      3, DataRate.lora(9, 125),
      4, DataRate.lora(8, 125),
      5, DataRate.lora(7, 125),
      6, DataRate.lora(7, 250),
      7, DataRate.fsk(50_000));
  private static final Map<Integer, MaxPayload> MAX_PAYLOAD = Map.of(
      0, new MaxPayload(59, 51),
      1, new MaxPayload(59, 51),
      2, new MaxPayload(59, 51),
      3, new MaxPayload(123, 115),
      4, new MaxPayload(250, 242),
      5, new MaxPayload(250, 242),
      6, new MaxPayload(250, 242),
      7, new MaxPayload(250, 242));

  private Eu868() {}

  @Override
  public String name() {
    return "EU868";
  }

  @Override
  public Map<Integer, DataRate> uplinkDataRates() {
    return DATA_RATES;
  }

  @Override
  public Map<Integer, DataRate> downlinkDataRates() {
    return DATA_RATES;
  }

  @Override
  public int maxRx1DrOffset() {
    return 5;
  }

  /** RX1 DR = uplink DR - offset, not below DR0. */
  @Override
  public int rx1DataRate(int uplinkDr, int rx1DrOffset) {
    if (!DATA_RATES.containsKey(uplinkDr) || rx1DrOffset < 0 || rx1DrOffset > maxRx1DrOffset()) {
      throw new IllegalArgumentException("EU868 has no RX1 rate for DR" + uplinkDr + " offset " + rx1DrOffset);
    }
    return Math.max(0, uplinkDr - rx1DrOffset);
  }

  @Override
  public OptionalLong rx1Frequency(long uplinkHz) {
    return uplinkHz >= BAND_LOW && uplinkHz <= BAND_HIGH ? OptionalLong.of(uplinkHz) : OptionalLong.empty();
  }

  @Override
  public long rx2Frequency() {
    return 869_525_000L;
  }

  @Override
  public int rx2DataRate() {
    return 0;
  }

  @Override
  public MaxPayload maxPayload(int dr) {
    MaxPayload max = MAX_PAYLOAD.get(dr);
    if (max == null) {
      throw new IllegalArgumentException("EU868 has no DR" + dr);
    }
    return max;
  }

  @Override
  public Optional<CfList> cfList() {
    return Optional.of(new CfList.Frequencies(EXTRA_CHANNELS));
  }
}
