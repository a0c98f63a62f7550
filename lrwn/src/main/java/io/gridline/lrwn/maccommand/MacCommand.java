package io.gridline.lrwn.maccommand;

import io.gridline.lrwn.frame.Direction;

/**
 * A LoRaWAN 1.0.x MAC command (§5; DeviceTime is 1.0.3). The same CID means a different command in each direction:
 * 0x02 up is LinkCheckReq, 0x02 down is LinkCheckAns. Records hold decoded values; RFU bits are zero when encoding
 * and ignored when decoding. Frequencies are in Hz (24 bits of 100 Hz on air).
 */
public sealed interface MacCommand {
  int LINK_CHECK = 0x02;
  int LINK_ADR = 0x03;
  int DUTY_CYCLE = 0x04;
  int RX_PARAM_SETUP = 0x05;
  int DEV_STATUS = 0x06;
  int NEW_CHANNEL = 0x07;
  int RX_TIMING_SETUP = 0x08;
  int TX_PARAM_SETUP = 0x09;
  int DL_CHANNEL = 0x0A;
  int DEVICE_TIME = 0x0D;

  int cid();

  /** The direction this command travels in. */
  Direction direction();

  /** The octets after the CID. */
  byte[] payload();

  // ---- device to network --------------------------------------------------------------------------------------

  /** The device asks whether the network hears it; answered by {@link LinkCheckAns}. */
  record LinkCheckReq() implements Uplink {
    @Override
    public int cid() {
      return LINK_CHECK;
    }
  }

  record LinkAdrAns(boolean powerAck, boolean dataRateAck, boolean channelMaskAck) implements Uplink {
    @Override
    public int cid() {
      return LINK_ADR;
    }

    @Override
    public byte[] payload() {
      return new byte[] {(byte) Bits.flags(powerAck, dataRateAck, channelMaskAck)};
    }
  }

  record DutyCycleAns() implements Uplink {
    @Override
    public int cid() {
      return DUTY_CYCLE;
    }
  }

  record RxParamSetupAns(boolean rx1DrOffsetAck, boolean rx2DataRateAck, boolean channelAck) implements Uplink {
    @Override
    public int cid() {
      return RX_PARAM_SETUP;
    }

    @Override
    public byte[] payload() {
      return new byte[] {(byte) Bits.flags(rx1DrOffsetAck, rx2DataRateAck, channelAck)};
    }
  }

  /**
   * @param battery 0 external power, 1..254 level, 255 cannot measure
   * @param margin demodulation SNR of the last DevStatusReq in dB, -32..31
   */
  record DevStatusAns(int battery, int margin) implements Uplink {
    public DevStatusAns {
      Bits.check(battery, 0, 255, "battery");
      Bits.check(margin, -32, 31, "margin");
    }

    @Override
    public int cid() {
      return DEV_STATUS;
    }

    @Override
    public byte[] payload() {
      return new byte[] {(byte) battery, (byte) (margin & 0x3F)};
    }
  }

  record NewChannelAns(boolean dataRateRangeOk, boolean channelFrequencyOk) implements Uplink {
    @Override
    public int cid() {
      return NEW_CHANNEL;
    }

    @Override
    public byte[] payload() {
      return new byte[] {(byte) Bits.flags(dataRateRangeOk, channelFrequencyOk)};
    }
  }

  record RxTimingSetupAns() implements Uplink {
    @Override
    public int cid() {
      return RX_TIMING_SETUP;
    }
  }

  record TxParamSetupAns() implements Uplink {
    @Override
    public int cid() {
      return TX_PARAM_SETUP;
    }
  }

  record DlChannelAns(boolean uplinkFrequencyExists, boolean channelFrequencyOk) implements Uplink {
    @Override
    public int cid() {
      return DL_CHANNEL;
    }

    @Override
    public byte[] payload() {
      return new byte[] {(byte) Bits.flags(uplinkFrequencyExists, channelFrequencyOk)};
    }
  }

  record DeviceTimeReq() implements Uplink {
    @Override
    public int cid() {
      return DEVICE_TIME;
    }
  }

  // ---- network to device --------------------------------------------------------------------------------------

  /**
   * @param margin link margin in dB above the demodulation floor of the LinkCheckReq, 0..254 (255 is reserved, yet
   *     read as sent)
   * @param gatewayCount gateways that received the LinkCheckReq
   */
  record LinkCheckAns(int margin, int gatewayCount) implements Downlink {
    public LinkCheckAns {
      Bits.check(margin, 0, 255, "margin");
      Bits.check(gatewayCount, 0, 255, "gateway count");
    }

    @Override
    public int cid() {
      return LINK_CHECK;
    }

    @Override
    public byte[] payload() {
      return new byte[] {(byte) margin, (byte) gatewayCount};
    }
  }

  /**
   * @param channelMask ChMask, bit i = channel i of the block {@code channelMaskControl} selects
   * @param nbTrans transmissions of each unconfirmed uplink, 0 = keep
   */
  record LinkAdrReq(int dataRate, int txPower, int channelMask, int channelMaskControl, int nbTrans)
      implements Downlink {
    public LinkAdrReq {
      Bits.check(dataRate, 0, 15, "data rate");
      Bits.check(txPower, 0, 15, "TX power");
      Bits.check(channelMask, 0, 0xFFFF, "channel mask");
      Bits.check(channelMaskControl, 0, 7, "ChMaskCntl");
      Bits.check(nbTrans, 0, 15, "NbTrans");
    }

    @Override
    public int cid() {
      return LINK_ADR;
    }

    @Override
    public byte[] payload() {
      return new byte[] {(byte) (dataRate << 4 | txPower), (byte) channelMask, (byte) (channelMask >>> 8),
          (byte) (channelMaskControl << 4 | nbTrans)};
    }
  }

  /** @param maxDutyCycle aggregated duty cycle limit 1/2^maxDutyCycle, 0 = no limit */
  record DutyCycleReq(int maxDutyCycle) implements Downlink {
    public DutyCycleReq {
      Bits.check(maxDutyCycle, 0, 15, "MaxDCycle");
    }

    @Override
    public int cid() {
      return DUTY_CYCLE;
    }

    @Override
    public byte[] payload() {
      return new byte[] {(byte) maxDutyCycle};
    }
  }

  record RxParamSetupReq(int rx1DrOffset, int rx2DataRate, long frequencyHz) implements Downlink {
    public RxParamSetupReq {
      Bits.check(rx1DrOffset, 0, 7, "RX1DROffset");
      Bits.check(rx2DataRate, 0, 15, "RX2DataRate");
      Bits.checkFrequency(frequencyHz);
    }

    @Override
    public int cid() {
      return RX_PARAM_SETUP;
    }

    @Override
    public byte[] payload() {
      byte[] b = new byte[4];
      b[0] = (byte) (rx1DrOffset << 4 | rx2DataRate);
      Bits.writeFrequency(b, 1, frequencyHz);
      return b;
    }
  }

  record DevStatusReq() implements Downlink {
    @Override
    public int cid() {
      return DEV_STATUS;
    }
  }

  /** @param frequencyHz 0 disables the channel */
  record NewChannelReq(int channelIndex, long frequencyHz, int minDataRate, int maxDataRate) implements Downlink {
    public NewChannelReq {
      Bits.check(channelIndex, 0, 255, "channel index");
      Bits.checkFrequency(frequencyHz);
      Bits.check(minDataRate, 0, 15, "min data rate");
      Bits.check(maxDataRate, 0, 15, "max data rate");
    }

    @Override
    public int cid() {
      return NEW_CHANNEL;
    }

    @Override
    public byte[] payload() {
      byte[] b = new byte[5];
      b[0] = (byte) channelIndex;
      Bits.writeFrequency(b, 1, frequencyHz);
      b[4] = (byte) (maxDataRate << 4 | minDataRate);
      return b;
    }
  }

  /** @param delay RX1 delay in seconds, 0 meaning 1 */
  record RxTimingSetupReq(int delay) implements Downlink {
    public RxTimingSetupReq {
      Bits.check(delay, 0, 15, "delay");
    }

    @Override
    public int cid() {
      return RX_TIMING_SETUP;
    }

    @Override
    public byte[] payload() {
      return new byte[] {(byte) delay};
    }
  }

  /** @param maxEirp index into the regional MaxEIRP table (8..36 dBm) */
  record TxParamSetupReq(boolean downlinkDwellTime, boolean uplinkDwellTime, int maxEirp) implements Downlink {
    public TxParamSetupReq {
      Bits.check(maxEirp, 0, 15, "MaxEIRP");
    }

    @Override
    public int cid() {
      return TX_PARAM_SETUP;
    }

    @Override
    public byte[] payload() {
      return new byte[] {(byte) ((downlinkDwellTime ? 0x20 : 0) | (uplinkDwellTime ? 0x10 : 0) | maxEirp)};
    }
  }

  record DlChannelReq(int channelIndex, long frequencyHz) implements Downlink {
    public DlChannelReq {
      Bits.check(channelIndex, 0, 255, "channel index");
      Bits.checkFrequency(frequencyHz);
    }

    @Override
    public int cid() {
      return DL_CHANNEL;
    }

    @Override
    public byte[] payload() {
      byte[] b = new byte[4];
      b[0] = (byte) channelIndex;
      Bits.writeFrequency(b, 1, frequencyHz);
      return b;
    }
  }

  /**
   * @param gpsSeconds seconds since the GPS epoch (1980-01-06) at the end of the DeviceTimeReq uplink, 32 bits
   * @param fraction 1/256 s steps
   */
  record DeviceTimeAns(long gpsSeconds, int fraction) implements Downlink {
    public DeviceTimeAns {
      if (gpsSeconds < 0 || gpsSeconds > 0xFFFF_FFFFL) {
        throw new IllegalArgumentException("GPS seconds have 32 bits: " + gpsSeconds);
      }
      Bits.check(fraction, 0, 255, "fraction");
    }

    @Override
    public int cid() {
      return DEVICE_TIME;
    }

    @Override
    public byte[] payload() {
      return new byte[] {(byte) gpsSeconds, (byte) (gpsSeconds >>> 8), (byte) (gpsSeconds >>> 16),
          (byte) (gpsSeconds >>> 24), (byte) fraction};
    }
  }

  /** Commands the device sends. */
  sealed interface Uplink extends MacCommand {
    @Override
    default Direction direction() {
      return Direction.UPLINK;
    }

    @Override
    default byte[] payload() {
      return new byte[0];
    }
  }

  /** Commands the network sends. */
  sealed interface Downlink extends MacCommand {
    @Override
    default Direction direction() {
      return Direction.DOWNLINK;
    }

    @Override
    default byte[] payload() {
      return new byte[0];
    }
  }
}
