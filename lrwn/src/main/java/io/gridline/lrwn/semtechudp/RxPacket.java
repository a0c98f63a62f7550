package io.gridline.lrwn.semtechudp;

import io.gridline.lrwn.frame.Bytes;
import io.gridline.lrwn.region.DataRate;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * One {@code rxpk}: a radio packet the gateway heard and its metadata. Forwarders for multi-antenna boards (PROTOCOL
 * v2 variants) leave {@code rssi}/{@code lsnr} out and send them per antenna in {@code rsig}; then the first antenna's
 * values fill {@link #rssi} and {@link #lsnr}.
 *
 * @param tmst the concentrator's microsecond counter at the end of reception (32 bits, wraps); RX1 is tmst + 1 s
 * @param time the GPS or system time of reception, when the gateway knows it
 * @param tmms GPS milliseconds since 1980-01-06, when the gateway has a GPS fix
 * @param chan the concentrator IF channel, not the LoRaWAN channel
 * @param codr the LoRa coding rate, {@code 4/5}
 * @param data the PHYPayload octets
 */
public record RxPacket(long tmst, Optional<Instant> time, OptionalLong tmms, long frequencyHz, int chan, int rfch,
    CrcStatus crc, DataRate dataRate, Optional<String> codr, int rssi, OptionalDouble lsnr, List<Antenna> antennas,
    Bytes data) {
  public RxPacket {
    antennas = List.copyOf(antennas);
  }

  /** One antenna's view of the packet ({@code rsig} entry). */
  public record Antenna(int ant, int chan, int rssic, OptionalDouble lsnr) {}

  static RxPacket fromJson(JsonObject json, String where) throws SemtechPacketException {
    JsonFields f = new JsonFields(json, where);
    CrcStatus crc = CrcStatus.ofCode(f.integer("stat", -1, 1));
    Optional<Instant> time = Optional.empty();
    if (f.has("time")) {
      try {
        time = Optional.of(Instant.parse(f.string("time")));
      } catch (DateTimeParseException e) {
        throw f.bad("time", "not ISO 8601 UTC");
      }
    }
    List<Antenna> antennas = new ArrayList<>();
    if (f.has("rsig")) {
      JsonArray rsig = f.array("rsig");
      for (int i = 0; i < rsig.size(); i++) {
        if (!(rsig.getValue(i) instanceof JsonObject entry)) {
          throw f.bad("rsig[" + i + "]", "not an object");
        }
        JsonFields a = new JsonFields(entry, where + ".rsig[" + i + "]");
        antennas.add(new Antenna(a.intOr("ant", 0, 255, 0), a.intOr("chan", 0, 255, 0),
            (int) a.integer("rssic", -1000, 1000), a.optionalDecimal("lsnr", -100, 100)));
      }
    }
    int rssi;
    OptionalDouble lsnr;
    if (f.has("rssi") || antennas.isEmpty()) {
      rssi = (int) f.integer("rssi", -1000, 1000);
      lsnr = f.optionalDecimal("lsnr", -100, 100);
    } else {
      rssi = antennas.get(0).rssic();
      lsnr = antennas.get(0).lsnr();
    }
    return new RxPacket(f.integer("tmst", 0, 0xFFFF_FFFFL), time, f.optionalInteger("tmms", 0, Long.MAX_VALUE),
        f.frequencyHz("freq"), f.intOr("chan", 0, 255, 0), f.intOr("rfch", 0, 255, 0), crc, f.dataRate(),
        f.optionalString("codr"), rssi, lsnr, antennas, Bytes.of(f.data()));
  }

  JsonObject toJson() {
    JsonObject json = new JsonObject().put("tmst", tmst);
    time.ifPresent(t -> json.put("time", t.toString()));
    tmms.ifPresent(t -> json.put("tmms", t));
    json.put("chan", chan).put("rfch", rfch).put("freq", JsonFields.megahertz(frequencyHz)).put("stat", crc.code());
    JsonFields.putDataRate(json, dataRate);
    codr.ifPresent(c -> json.put("codr", c));
    json.put("rssi", rssi);
    lsnr.ifPresent(s -> json.put("lsnr", s));
    if (!antennas.isEmpty()) {
      JsonArray rsig = new JsonArray();
      for (Antenna a : antennas) {
        JsonObject entry = new JsonObject().put("ant", a.ant()).put("chan", a.chan()).put("rssic", a.rssic());
        a.lsnr().ifPresent(s -> entry.put("lsnr", s));
        rsig.add(entry);
      }
      json.put("rsig", rsig);
    }
    return json.put("size", data.length()).put("data", Base64.getEncoder().encodeToString(data.toArray()));
  }
}
