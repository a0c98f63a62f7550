package io.gridline.lrwn.region;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A data rate's modulation: LoRa with spreading factor and bandwidth, or FSK with its bit rate. The Semtech UDP
 * {@code datr} field writes LoRa rates as {@code SF7BW125} and FSK rates as the bit rate number.
 */
public record DataRate(Modulation modulation, int spreadingFactor, int bandwidthKhz, int bitRate) {
  private static final Pattern LORA_DATR = Pattern.compile("SF(\\d{1,2})BW(\\d{2,4})");

  public enum Modulation {
    LORA,
    FSK
  }

  public DataRate {
    if (modulation == Modulation.LORA && (spreadingFactor < 5 || spreadingFactor > 12 || bandwidthKhz <= 0
        || bitRate != 0)) {
      throw new IllegalArgumentException("LoRa needs SF5..12 and a bandwidth: SF" + spreadingFactor + "BW"
          + bandwidthKhz);
    }
    if (modulation == Modulation.FSK && (bitRate <= 0 || spreadingFactor != 0 || bandwidthKhz != 0)) {
      throw new IllegalArgumentException("FSK needs a bit rate, not " + bitRate);
    }
  }

  public static DataRate lora(int spreadingFactor, int bandwidthKhz) {
    return new DataRate(Modulation.LORA, spreadingFactor, bandwidthKhz, 0);
  }

  public static DataRate fsk(int bitRate) {
    return new DataRate(Modulation.FSK, 0, 0, bitRate);
  }

  /** @return the LoRa rate a {@code datr} such as {@code SF12BW500} names, or empty when it names none */
  public static Optional<DataRate> parseLora(String datr) {
    Matcher m = LORA_DATR.matcher(datr);
    if (!m.matches()) {
      return Optional.empty();
    }
    int sf = Integer.parseInt(m.group(1));
    int bw = Integer.parseInt(m.group(2));
    return sf < 5 || sf > 12 || bw == 0 ? Optional.empty() : Optional.of(lora(sf, bw));
  }

  /** The Semtech {@code datr} string of a LoRa rate. */
  public String loraDatr() {
    if (modulation != Modulation.LORA) {
      throw new IllegalStateException("FSK rates are a number in datr, not a string");
    }
    return "SF" + spreadingFactor + "BW" + bandwidthKhz;
  }

  @Override
  public String toString() {
    return modulation == Modulation.LORA ? loraDatr() : "FSK" + bitRate;
  }
}
