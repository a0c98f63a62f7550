package io.gridline.lrwn.semtechudp;

import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The {@code stat} object a gateway pushes every few tens of seconds. Every field is optional in practice; {@code time}
 * is kept as sent ({@code 2014-01-12 08:59:28 GMT}, the format differs between forwarders).
 *
 * @param ackr percentage of upstream datagrams the server acknowledged
 * @param temperature {@code temp}, sent by SX1302 forwarders
 */
public record GatewayStats(Optional<String> time, OptionalDouble latitude, OptionalDouble longitude,
    OptionalLong altitude, OptionalLong rxnb, OptionalLong rxok, OptionalLong rxfw, OptionalDouble ackr,
    OptionalLong dwnb, OptionalLong txnb, OptionalDouble temperature) {

  static GatewayStats fromJson(JsonObject json) throws SemtechPacketException {
    JsonFields f = new JsonFields(json, "stat");
    long count = Long.MAX_VALUE;
    return new GatewayStats(f.optionalString("time"), f.optionalDecimal("lati", -90, 90),
        f.optionalDecimal("long", -180, 180), f.optionalInteger("alti", -100_000, 100_000),
        f.optionalInteger("rxnb", 0, count), f.optionalInteger("rxok", 0, count), f.optionalInteger("rxfw", 0, count),
        f.optionalDecimal("ackr", 0, 100), f.optionalInteger("dwnb", 0, count), f.optionalInteger("txnb", 0, count),
        f.optionalDecimal("temp", -273.15, 1000));
  }

  JsonObject toJson() {
    JsonObject json = new JsonObject();
    time.ifPresent(v -> json.put("time", v));
    latitude.ifPresent(v -> json.put("lati", v));
    longitude.ifPresent(v -> json.put("long", v));
    altitude.ifPresent(v -> json.put("alti", v));
    rxnb.ifPresent(v -> json.put("rxnb", v));
    rxok.ifPresent(v -> json.put("rxok", v));
    rxfw.ifPresent(v -> json.put("rxfw", v));
    ackr.ifPresent(v -> json.put("ackr", v));
    dwnb.ifPresent(v -> json.put("dwnb", v));
    txnb.ifPresent(v -> json.put("txnb", v));
    temperature.ifPresent(v -> json.put("temp", v));
    return json;
  }
}
