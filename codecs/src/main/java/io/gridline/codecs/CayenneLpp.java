package io.gridline.codecs;

import java.util.ArrayList;
import java.util.List;

/**
 * Cayenne Low Power Payload (myDevices' LPP, the IPSO-based format many LoRa sensors send): a sequence of
 * {@code channel u8 | type u8 | value} items, big-endian, each type with its own size and resolution. Pure; the lorawan
 * verticle turns its readings into {@code sensor-<channel>.<field>} datapoints.
 */
public final class CayenneLpp {
  /** One value: the item's channel, the field name ({@code temperature}, {@code accelerometer-x}, …) and unit. */
  public record Reading(int channel, String field, double value, String unit) {}

  /** A payload that is not Cayenne LPP: an unknown type, or an item cut short. */
  public static final class MalformedLpp extends IllegalArgumentException {
    public MalformedLpp(String message) {
      super(message);
    }
  }

  private CayenneLpp() {}

  public static List<Reading> decode(byte[] b) {
    List<Reading> out = new ArrayList<>();
    int i = 0;
    while (i < b.length) {
      if (i + 2 > b.length) {
        throw new MalformedLpp("item at octet " + i + " has no type");
      }
      int channel = b[i] & 0xFF;
      int type = b[i + 1] & 0xFF;
      int at = i + 2;
      int size = size(type, at);
      if (at + size > b.length) {
        throw new MalformedLpp("type " + type + " at octet " + i + " needs " + size + " octets, " + (b.length - at)
            + " left");
      }
      switch (type) {
        case 0 -> out.add(new Reading(channel, "digital-input", b[at] & 0xFF, ""));
        case 1 -> out.add(new Reading(channel, "digital-output", b[at] & 0xFF, ""));
        case 2 -> out.add(new Reading(channel, "analog-input", s16(b, at) / 100.0, ""));
        case 3 -> out.add(new Reading(channel, "analog-output", s16(b, at) / 100.0, ""));
        case 101 -> out.add(new Reading(channel, "illuminance", u16(b, at), "lx"));
        case 102 -> out.add(new Reading(channel, "presence", b[at] & 0xFF, ""));
        case 103 -> out.add(new Reading(channel, "temperature", s16(b, at) / 10.0, "°C"));
        case 104 -> out.add(new Reading(channel, "humidity", (b[at] & 0xFF) / 2.0, "%"));
        case 113 -> {
          out.add(new Reading(channel, "accelerometer-x", s16(b, at) / 1000.0, "G"));
          out.add(new Reading(channel, "accelerometer-y", s16(b, at + 2) / 1000.0, "G"));
          out.add(new Reading(channel, "accelerometer-z", s16(b, at + 4) / 1000.0, "G"));
        }
        case 115 -> out.add(new Reading(channel, "barometer", u16(b, at) / 10.0, "hPa"));
        case 134 -> {
          out.add(new Reading(channel, "gyrometer-x", s16(b, at) / 100.0, "°/s"));
          out.add(new Reading(channel, "gyrometer-y", s16(b, at + 2) / 100.0, "°/s"));
          out.add(new Reading(channel, "gyrometer-z", s16(b, at + 4) / 100.0, "°/s"));
        }
        case 136 -> {
          out.add(new Reading(channel, "latitude", s24(b, at) / 10_000.0, "°"));
          out.add(new Reading(channel, "longitude", s24(b, at + 3) / 10_000.0, "°"));
          out.add(new Reading(channel, "altitude", s24(b, at + 6) / 100.0, "m"));
        }
        default -> throw new MalformedLpp("unknown type " + type + " at octet " + (i + 1));
      }
      i = at + size;
    }
    return out;
  }

  private static int size(int type, int at) {
    return switch (type) {
      case 0, 1, 102, 104 -> 1;
      case 2, 3, 101, 103, 115 -> 2;
      case 113, 134 -> 6;
      case 136 -> 9;
      default -> throw new MalformedLpp("unknown type " + type + " at octet " + (at - 1));
    };
  }

  private static int s16(byte[] b, int at) {
    return (short) (((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF));
  }

  private static int u16(byte[] b, int at) {
    return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
  }

  private static int s24(byte[] b, int at) {
    int v = ((b[at] & 0xFF) << 16) | ((b[at + 1] & 0xFF) << 8) | (b[at + 2] & 0xFF);
    return (v << 8) >> 8;
  }
}
