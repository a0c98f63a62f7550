package io.gridline.lrwn.maccommand;

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
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes a run of MAC commands, as found in FOpts or in the (decrypted) FRMPayload of FPort 0: {@code CID |
 * payload}, back to back, each payload's length fixed by its CID and direction.
 */
public final class MacCommands {
  private MacCommands() {}

  /**
   * @param direction the direction of the frame that carried the commands
   * @throws MacCommandException at the first command that cannot be read; it holds the commands before it
   */
  public static List<MacCommand> decode(Direction direction, Bytes octets) throws MacCommandException {
    byte[] b = octets.toArray();
    List<MacCommand> commands = new ArrayList<>();
    int at = 0;
    while (at < b.length) {
      int cid = b[at] & 0xFF;
      int length = payloadLength(direction, cid);
      if (length < 0) {
        throw new MacCommandException(MacCommandException.Reason.UNKNOWN_CID, cid, at, commands);
      }
      if (at + 1 + length > b.length) {
        throw new MacCommandException(MacCommandException.Reason.TRUNCATED, cid, at, commands);
      }
      commands.add(direction == Direction.UPLINK ? uplink(cid, b, at + 1) : downlink(cid, b, at + 1));
      at += 1 + length;
    }
    return commands;
  }

  public static Bytes encode(List<? extends MacCommand> commands) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (MacCommand command : commands) {
      out.write(command.cid());
      out.writeBytes(command.payload());
    }
    return Bytes.of(out.toByteArray());
  }

  /** @return payload octets after the CID, or -1 for a CID 1.0.x does not define in that direction */
  static int payloadLength(Direction direction, int cid) {
    boolean up = direction == Direction.UPLINK;
    return switch (cid) {
      case MacCommand.LINK_CHECK -> up ? 0 : 2;
      case MacCommand.LINK_ADR -> up ? 1 : 4;
      case MacCommand.DUTY_CYCLE -> up ? 0 : 1;
      case MacCommand.RX_PARAM_SETUP -> up ? 1 : 4;
      case MacCommand.DEV_STATUS -> up ? 2 : 0;
      case MacCommand.NEW_CHANNEL -> up ? 1 : 5;
      case MacCommand.RX_TIMING_SETUP -> up ? 0 : 1;
      case MacCommand.TX_PARAM_SETUP -> up ? 0 : 1;
      case MacCommand.DL_CHANNEL -> up ? 1 : 4;
      case MacCommand.DEVICE_TIME -> up ? 0 : 5;
      default -> -1;
    };
  }

  private static MacCommand uplink(int cid, byte[] b, int p) {
    return switch (cid) {
      case MacCommand.LINK_CHECK -> new LinkCheckReq();
      case MacCommand.LINK_ADR -> new LinkAdrAns(Bits.bit(b[p], 2), Bits.bit(b[p], 1), Bits.bit(b[p], 0));
      case MacCommand.DUTY_CYCLE -> new DutyCycleAns();
      case MacCommand.RX_PARAM_SETUP -> new RxParamSetupAns(Bits.bit(b[p], 2), Bits.bit(b[p], 1), Bits.bit(b[p], 0));
      // the margin is a 6-bit two's complement number
      case MacCommand.DEV_STATUS -> new DevStatusAns(b[p] & 0xFF, (b[p + 1] << 26) >> 26);
      case MacCommand.NEW_CHANNEL -> new NewChannelAns(Bits.bit(b[p], 1), Bits.bit(b[p], 0));
      case MacCommand.RX_TIMING_SETUP -> new RxTimingSetupAns();
      case MacCommand.TX_PARAM_SETUP -> new TxParamSetupAns();
      case MacCommand.DL_CHANNEL -> new DlChannelAns(Bits.bit(b[p], 1), Bits.bit(b[p], 0));
      case MacCommand.DEVICE_TIME -> new DeviceTimeReq();
      default -> throw new IllegalStateException("payloadLength and uplink disagree on CID " + cid);
    };
  }

  private static MacCommand downlink(int cid, byte[] b, int p) {
    return switch (cid) {
      case MacCommand.LINK_CHECK -> new LinkCheckAns(b[p] & 0xFF, b[p + 1] & 0xFF);
      case MacCommand.LINK_ADR -> new LinkAdrReq((b[p] & 0xF0) >>> 4, b[p] & 0x0F,
          (b[p + 1] & 0xFF) | (b[p + 2] & 0xFF) << 8, (b[p + 3] & 0x70) >>> 4, b[p + 3] & 0x0F);
      case MacCommand.DUTY_CYCLE -> new DutyCycleReq(b[p] & 0x0F);
      case MacCommand.RX_PARAM_SETUP -> new RxParamSetupReq((b[p] & 0x70) >>> 4, b[p] & 0x0F,
          Bits.readFrequency(b, p + 1));
      case MacCommand.DEV_STATUS -> new DevStatusReq();
      case MacCommand.NEW_CHANNEL -> new NewChannelReq(b[p] & 0xFF, Bits.readFrequency(b, p + 1), b[p + 4] & 0x0F,
          (b[p + 4] & 0xF0) >>> 4);
      case MacCommand.RX_TIMING_SETUP -> new RxTimingSetupReq(b[p] & 0x0F);
      case MacCommand.TX_PARAM_SETUP -> new TxParamSetupReq(Bits.bit(b[p], 5), Bits.bit(b[p], 4), b[p] & 0x0F);
      case MacCommand.DL_CHANNEL -> new DlChannelReq(b[p] & 0xFF, Bits.readFrequency(b, p + 1));
      case MacCommand.DEVICE_TIME -> new DeviceTimeAns(
          (b[p] & 0xFFL) | (b[p + 1] & 0xFFL) << 8 | (b[p + 2] & 0xFFL) << 16 | (b[p + 3] & 0xFFL) << 24,
          b[p + 4] & 0xFF);
      default -> throw new IllegalStateException("payloadLength and downlink disagree on CID " + cid);
    };
  }
}
