package io.gridline.lrwn.region;

import io.gridline.lrwn.frame.CfList;
import io.gridline.lrwn.frame.Direction;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What the network needs from the LoRaWAN Regional Parameters (RP 1.0.3 revA, matching LoRaWAN 1.0.3) to answer a
 * class A device: data rates, the RX1 data rate and frequency, RX2 defaults, payload limits, join CFList, delays.
 * Numbers that come from configuration or a session (a DR index, an RX1 offset) are refused with an
 * {@link IllegalArgumentException}; values that come off the air (a {@code datr}, a frequency) give an empty result.
 */
public sealed interface RegionParams permits Eu868, Us915 {
  /** RECEIVE_DELAY1: RX1 opens this long after the end of the uplink; RX2 one second later. */
  Duration RECEIVE_DELAY1 = Duration.ofSeconds(1);
  Duration RECEIVE_DELAY2 = Duration.ofSeconds(2);
  /** JOIN_ACCEPT_DELAY1 and 2, the receive windows of a JoinAccept. */
  Duration JOIN_ACCEPT_DELAY1 = Duration.ofSeconds(5);
  Duration JOIN_ACCEPT_DELAY2 = Duration.ofSeconds(6);
  /** The largest FRMPayload any data rate of these regions carries (EU868 DR4-7, US915 DR3-4 and DR10-13). */
  int MAX_FRM_PAYLOAD = 242;

  static Optional<RegionParams> byName(String name) {
    return switch (name) {
      case "EU868" -> Optional.of(Eu868.INSTANCE);
      case "US915" -> Optional.of(Us915.INSTANCE);
      default -> Optional.empty();
    };
  }

  /** The common name, {@code EU868} or {@code US915}. */
  String name();

  /** Data rates devices may send at, by DR index. */
  Map<Integer, DataRate> uplinkDataRates();

  /** Data rates the network may answer at, by DR index. */
  Map<Integer, DataRate> downlinkDataRates();

  /** @throws IllegalArgumentException for a DR index the region does not define */
  default DataRate dataRate(int dr) {
    DataRate rate = uplinkDataRates().getOrDefault(dr, downlinkDataRates().get(dr));
    if (rate == null) {
      throw new IllegalArgumentException(name() + " has no DR" + dr);
    }
    return rate;
  }

  /** The DR index of a rate heard or sent; the direction matters where one modulation has two indexes (US915). */
  default OptionalInt dataRateIndex(DataRate rate, Direction direction) {
    Map<Integer, DataRate> table = direction == Direction.UPLINK ? uplinkDataRates() : downlinkDataRates();
    return table.entrySet().stream().filter(e -> e.getValue().equals(rate)).mapToInt(Map.Entry::getKey).findFirst();
  }

  int maxRx1DrOffset();

  /** @throws IllegalArgumentException for an uplink DR or an offset the region does not define */
  int rx1DataRate(int uplinkDr, int rx1DrOffset);

  /** @return the RX1 frequency for an uplink heard on {@code uplinkHz}, or empty when that is none of the region's */
  OptionalLong rx1Frequency(long uplinkHz);

  long rx2Frequency();

  int rx2DataRate();

  /** @throws IllegalArgumentException for a DR index the region does not define */
  MaxPayload maxPayload(int dr);

  /** The CFList a JoinAccept carries, if the region uses one for its default extra channels. */
  Optional<CfList> cfList();
}
