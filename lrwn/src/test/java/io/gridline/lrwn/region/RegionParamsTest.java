package io.gridline.lrwn.region;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.lrwn.frame.CfList;
import io.gridline.lrwn.frame.Direction;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Spot checks against the LoRaWAN Regional Parameters RP 1.0.3 revA tables. */
class RegionParamsTest {
  private final RegionParams eu = Eu868.INSTANCE;
  private final Us915 us = Us915.INSTANCE;

  @Test
  void eu868DataRatesRunFromSf12ToSf7AndFsk() {
    assertEquals("SF12BW125", eu.dataRate(0).loraDatr());
    assertEquals("SF7BW125", eu.dataRate(5).loraDatr());
    assertEquals("SF7BW250", eu.dataRate(6).loraDatr());
    assertEquals(DataRate.fsk(50_000), eu.dataRate(7));
    assertEquals(OptionalInt.of(5), eu.dataRateIndex(DataRate.parseLora("SF7BW125").orElseThrow(), Direction.UPLINK));
    assertEquals(OptionalInt.empty(), eu.dataRateIndex(DataRate.lora(8, 500), Direction.UPLINK));
    assertThrows(IllegalArgumentException.class, () -> eu.dataRate(8));
  }

  @Test
  void us915Sf8Bw500IsDr4UpAndDr12Down() {
    DataRate sf8bw500 = DataRate.parseLora("SF8BW500").orElseThrow();
    assertEquals(OptionalInt.of(4), us.dataRateIndex(sf8bw500, Direction.UPLINK));
    assertEquals(OptionalInt.of(12), us.dataRateIndex(sf8bw500, Direction.DOWNLINK));
    assertEquals("SF10BW125", us.dataRate(0).loraDatr());
    assertEquals("SF12BW500", us.dataRate(8).loraDatr());
    assertEquals("SF7BW500", us.dataRate(13).loraDatr());
    assertThrows(IllegalArgumentException.class, () -> us.dataRate(7));
  }

  @Test
  void rx1DataRateFollowsTheOffsetTables() {
    assertEquals(5, eu.rx1DataRate(5, 0));
    assertEquals(3, eu.rx1DataRate(5, 2));
    assertEquals(0, eu.rx1DataRate(2, 5));
    assertThrows(IllegalArgumentException.class, () -> eu.rx1DataRate(5, 6));

    assertEquals(10, us.rx1DataRate(0, 0));
    assertEquals(8, us.rx1DataRate(0, 3));
    assertEquals(13, us.rx1DataRate(3, 0));
    assertEquals(13, us.rx1DataRate(4, 1));
    assertEquals(11, us.rx1DataRate(4, 3));
    assertThrows(IllegalArgumentException.class, () -> us.rx1DataRate(4, 4));
    assertThrows(IllegalArgumentException.class, () -> us.rx1DataRate(8, 0));
  }

  @Test
  void rx1FrequencyIsTheUplinkInEu868AndAFixedDownlinkChannelInUs915() {
    assertEquals(OptionalLong.of(868_300_000L), eu.rx1Frequency(868_300_000L));
    assertEquals(OptionalLong.empty(), eu.rx1Frequency(902_300_000L));

    assertEquals(OptionalInt.of(0), us.uplinkChannel(902_300_000L));
    assertEquals(OptionalInt.of(8), us.uplinkChannel(903_900_000L));
    assertEquals(OptionalInt.of(63), us.uplinkChannel(914_900_000L));
    assertEquals(OptionalInt.of(64), us.uplinkChannel(903_000_000L));
    assertEquals(OptionalInt.of(71), us.uplinkChannel(914_200_000L));
    assertEquals(OptionalInt.empty(), us.uplinkChannel(902_400_000L));
    assertEquals(OptionalLong.of(923_300_000L), us.rx1Frequency(902_300_000L));
    assertEquals(OptionalLong.of(927_500_000L), us.rx1Frequency(903_700_000L)); // channel 7
    assertEquals(OptionalLong.of(923_300_000L), us.rx1Frequency(903_900_000L)); // channel 8
    assertEquals(OptionalLong.of(924_500_000L), us.rx1Frequency(906_200_000L)); // channel 66
    assertEquals(OptionalLong.empty(), us.rx1Frequency(868_100_000L));
  }

  @Test
  void rx2DefaultsAndDelays() {
    assertEquals(869_525_000L, eu.rx2Frequency());
    assertEquals(0, eu.rx2DataRate());
    assertEquals(923_300_000L, us.rx2Frequency());
    assertEquals(8, us.rx2DataRate());
    assertEquals(Duration.ofSeconds(1), RegionParams.RECEIVE_DELAY1);
    assertEquals(Duration.ofSeconds(2), RegionParams.RECEIVE_DELAY2);
    assertEquals(Duration.ofSeconds(5), RegionParams.JOIN_ACCEPT_DELAY1);
    assertEquals(Duration.ofSeconds(6), RegionParams.JOIN_ACCEPT_DELAY2);
  }

  @Test
  void maxPayloadsAreTheNoRepeaterTables() {
    assertEquals(new MaxPayload(59, 51), eu.maxPayload(0));
    assertEquals(new MaxPayload(123, 115), eu.maxPayload(3));
    assertEquals(new MaxPayload(250, 242), eu.maxPayload(5));
    assertEquals(new MaxPayload(19, 11), us.maxPayload(0));
    assertEquals(new MaxPayload(133, 125), us.maxPayload(2));
    assertEquals(new MaxPayload(61, 53), us.maxPayload(8));
    assertEquals(new MaxPayload(137, 129), us.maxPayload(9));
    assertEquals(new MaxPayload(250, 242), us.maxPayload(13));
    for (int dr : eu.uplinkDataRates().keySet()) {
      assertEquals(eu.maxPayload(dr).macPayload() - 8, eu.maxPayload(dr).frmPayload());
    }
  }

  @Test
  void eu868CflistAddsChannels867Point1To867Point9AsTypeZero() {
    CfList cfList = eu.cfList().orElseThrow();
    // 867.1 MHz = 8671000 × 100 Hz = 0x844f18, little-endian; then .3 .5 .7 .9 (+2000 each); CFListType 0
    assertEquals("184f84" + "e85684" + "b85e84" + "886684" + "586e84" + "00", cfList.encode().hex());
    assertEquals(Optional.empty(), us.cfList());
  }

  @Test
  void regionsAreFoundByTheirCommonName() {
    assertEquals(Optional.of(eu), RegionParams.byName("EU868"));
    assertEquals(Optional.of(us), RegionParams.byName("US915"));
    assertTrue(RegionParams.byName("AS923").isEmpty());
  }

  @Test
  void datrStringsParseOnlyRealLoraRates() {
    assertEquals(Optional.of(DataRate.lora(12, 500)), DataRate.parseLora("SF12BW500"));
    assertEquals(Optional.empty(), DataRate.parseLora("SF13BW125"));
    assertEquals(Optional.empty(), DataRate.parseLora("sf7bw125"));
    assertEquals(Optional.empty(), DataRate.parseLora("SF7BW0"));
    assertEquals(Optional.empty(), DataRate.parseLora("50000"));
  }
}
