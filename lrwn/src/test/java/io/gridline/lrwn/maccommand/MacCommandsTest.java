package io.gridline.lrwn.maccommand;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gridline.lrwn.frame.Bytes;
import io.gridline.lrwn.frame.Direction;
import io.gridline.lrwn.maccommand.MacCommand.DevStatusAns;
import io.gridline.lrwn.maccommand.MacCommand.DevStatusReq;
import io.gridline.lrwn.maccommand.MacCommand.DeviceTimeAns;
import io.gridline.lrwn.maccommand.MacCommand.DeviceTimeReq;
import io.gridline.lrwn.maccommand.MacCommand.DlChannelAns;
import io.gridline.lrwn.maccommand.MacCommand.DlChannelReq;
import io.gridline.lrwn.maccommand.MacCommand.DutyCycleAns;
import io.gridline.lrwn.maccommand.MacCommand.DutyCycleReq;
import io.gridline.lrwn.maccommand.MacCommand.LinkAdrAns;
import io.gridline.lrwn.maccommand.MacCommand.LinkAdrReq;
import io.gridline.lrwn.maccommand.MacCommand.LinkCheckAns;
import io.gridline.lrwn.maccommand.MacCommand.LinkCheckReq;
import io.gridline.lrwn.maccommand.MacCommand.NewChannelAns;
import io.gridline.lrwn.maccommand.MacCommand.NewChannelReq;
import io.gridline.lrwn.maccommand.MacCommand.RxParamSetupAns;
import io.gridline.lrwn.maccommand.MacCommand.RxParamSetupReq;
import io.gridline.lrwn.maccommand.MacCommand.RxTimingSetupAns;
import io.gridline.lrwn.maccommand.MacCommand.RxTimingSetupReq;
import io.gridline.lrwn.maccommand.MacCommand.TxParamSetupAns;
import io.gridline.lrwn.maccommand.MacCommand.TxParamSetupReq;
import java.util.List;
import org.junit.jupiter.api.Test;

class MacCommandsTest {
  @Test
  void theSameCidMeansTheRequestUpAndTheAnswerDown() throws Exception {
    assertEquals(List.of(new LinkCheckReq()), MacCommands.decode(Direction.UPLINK, Bytes.fromHex("02")));
    assertEquals(List.of(new LinkCheckAns(20, 3)), MacCommands.decode(Direction.DOWNLINK, Bytes.fromHex("021403")));
    assertEquals(List.of(new DevStatusReq()), MacCommands.decode(Direction.DOWNLINK, Bytes.fromHex("06")));
    assertEquals(List.of(new DevStatusAns(255, -1)), MacCommands.decode(Direction.UPLINK, Bytes.fromHex("06ff3f")));
  }

  @Test
  void fieldsSitWhereLorawanPutsThem() throws Exception {
    // LinkADRReq: DR5, TXPower 1, ChMask 0x00ff (channels 0..7), ChMaskCntl 0, NbTrans 1
    assertEquals("0351ff0001", MacCommands.encode(List.of(new LinkAdrReq(5, 1, 0x00FF, 0, 1))).hex());
    assertEquals("03" + "51" + "0300" + "62", MacCommands.encode(List.of(new LinkAdrReq(5, 1, 0x0003, 6, 2))).hex());
    // RXParamSetupReq: RX1DROffset 2, RX2 DR3, 869.525 MHz = 8695250 × 100 Hz = 0x84add2, little-endian
    assertEquals("0523d2ad84", MacCommands.encode(List.of(new RxParamSetupReq(2, 3, 869_525_000L))).hex());
    // NewChannelReq: index 3, 867.1 MHz, DR0..DR5
    assertEquals("0703" + "184f84" + "50", MacCommands.encode(List.of(new NewChannelReq(3, 867_100_000L, 0, 5))).hex());
    assertEquals("0801", MacCommands.encode(List.of(new RxTimingSetupReq(1))).hex());
    assertEquals("0407", MacCommands.encode(List.of(new DutyCycleReq(7))).hex());
    assertEquals("0306", MacCommands.encode(List.of(new LinkAdrAns(true, true, false))).hex());
    assertEquals("0605" + "3a", MacCommands.encode(List.of(new DevStatusAns(5, -6))).hex());
  }

  @Test
  void everyCommandSurvivesEncodeThenDecodeInItsDirection() throws Exception {
    List<MacCommand> up = List.of(new LinkCheckReq(), new LinkAdrAns(true, false, true), new DutyCycleAns(),
        new RxParamSetupAns(true, true, false), new DevStatusAns(0, -32), new DevStatusAns(254, 31),
        new NewChannelAns(false, true), new RxTimingSetupAns(), new TxParamSetupAns(), new DlChannelAns(true, false),
        new DeviceTimeReq());
    assertEquals(up, MacCommands.decode(Direction.UPLINK, MacCommands.encode(up)));

    List<MacCommand> down = List.of(new LinkCheckAns(255, 0), new LinkAdrReq(15, 15, 0xFFFF, 7, 15),
        new DutyCycleReq(15), new RxParamSetupReq(7, 15, 923_300_000L), new DevStatusReq(),
        new NewChannelReq(15, 0, 0, 0), new RxTimingSetupReq(15), new TxParamSetupReq(true, false, 9),
        new DlChannelReq(1, 868_100_000L), new DeviceTimeAns(0xFFFF_FFFFL, 128));
    assertEquals(down, MacCommands.decode(Direction.DOWNLINK, MacCommands.encode(down)));
  }

  @Test
  void anUnknownCidStopsParsingAndKeepsTheCommandsBeforeIt() {
    MacCommandException e = assertThrows(MacCommandException.class,
        () -> MacCommands.decode(Direction.UPLINK, Bytes.fromHex("02" + "0301" + "0b01" + "02")));
    assertEquals(MacCommandException.Reason.UNKNOWN_CID, e.reason());
    assertEquals(0x0b, e.cid());
    assertEquals(3, e.offset());
    assertEquals(List.of(new LinkCheckReq(), new LinkAdrAns(false, false, true)), e.parsed());

    MacCommandException proprietary = assertThrows(MacCommandException.class,
        () -> MacCommands.decode(Direction.DOWNLINK, Bytes.fromHex("80")));
    assertEquals(MacCommandException.Reason.UNKNOWN_CID, proprietary.reason());
  }

  @Test
  void aCommandCutShortIsRefusedAsTruncated() {
    MacCommandException e = assertThrows(MacCommandException.class,
        () -> MacCommands.decode(Direction.DOWNLINK, Bytes.fromHex("06" + "0351ff00")));
    assertEquals(MacCommandException.Reason.TRUNCATED, e.reason());
    assertEquals(List.of(new DevStatusReq()), e.parsed());
  }

  @Test
  void outOfRangeValuesCannotBeBuilt() {
    assertThrows(IllegalArgumentException.class, () -> new DevStatusAns(0, 32));
    assertThrows(IllegalArgumentException.class, () -> new LinkAdrReq(16, 0, 0, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new RxParamSetupReq(0, 0, 869_525_050L));
  }
}
