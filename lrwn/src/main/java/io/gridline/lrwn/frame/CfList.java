package io.gridline.lrwn.frame;

import java.util.ArrayList;
import java.util.List;

/** The optional 16-octet channel list of a JoinAccept; its last octet, CFListType, says which kind it is. */
public sealed interface CfList {
  int LENGTH = 16;

  Bytes encode();

  static CfList decode(byte[] b, int off) throws FrameException {
    int type = b[off + 15] & 0xFF;
    return switch (type) {
      case 0 -> Frequencies.decode(b, off);
      case 1 -> new ChannelMasks(Bytes.of(b, off, off + 15));
      default -> throw new FrameException(FrameException.Reason.UNKNOWN_CFLIST_TYPE, "CFListType " + type);
    };
  }

  /**
   * CFListType 0 (dynamic-channel regions such as EU868): up to five extra uplink channels, each a 24-bit frequency in
   * units of 100 Hz. Slot i is channel 3 + i, so an unused slot inside the list stays as 0; unused slots at the end
   * are left out.
   */
  record Frequencies(List<Long> hertz) implements CfList {
    public Frequencies {
      if (hertz.size() > 5) {
        throw new IllegalArgumentException("a CFList holds at most 5 frequencies, not " + hertz.size());
      }
      for (long hz : hertz) {
        if (hz < 0 || hz % 100 != 0 || hz / 100 > 0xFF_FFFF) {
          throw new IllegalArgumentException("not a CFList frequency (100 Hz steps, 24 bits): " + hz);
        }
      }
      hertz = List.copyOf(hertz);
    }

    static Frequencies decode(byte[] b, int off) {
      List<Long> hertz = new ArrayList<>(5);
      for (int i = 0; i < 5; i++) {
        hertz.add(LittleEndian.read24(b, off + 3 * i) * 100L);
      }
      while (!hertz.isEmpty() && hertz.get(hertz.size() - 1) == 0) {
        hertz.remove(hertz.size() - 1);
      }
      return new Frequencies(hertz);
    }

    @Override
    public Bytes encode() {
      byte[] b = new byte[LENGTH];
      for (int i = 0; i < hertz.size(); i++) {
        LittleEndian.write24(b, 3 * i, (int) (hertz.get(i) / 100));
      }
      return Bytes.of(b);
    }
  }

  /** CFListType 1 (fixed-channel regions such as US915, LoRaWAN 1.0.3+): ChMask octets, kept as sent. */
  record ChannelMasks(Bytes masks) implements CfList {
    public ChannelMasks {
      if (masks.length() != 15) {
        throw new IllegalArgumentException("channel masks fill 15 octets, not " + masks.length());
      }
    }

    @Override
    public Bytes encode() {
      byte[] b = new byte[LENGTH];
      masks.copyTo(b, 0);
      b[15] = 1;
      return Bytes.of(b);
    }
  }
}
