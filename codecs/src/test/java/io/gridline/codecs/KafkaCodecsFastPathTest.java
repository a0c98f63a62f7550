package io.gridline.codecs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.contracts.telemetry.DecodedTelemetry;
import io.gridline.contracts.telemetry.RawTelemetry;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The streaming encode/decode of {@link KafkaCodecs#RAW_TELEMETRY} and {@link KafkaCodecs#DECODED_TELEMETRY} against
 * the JsonObject path ({@code toJson(v).toBuffer()} / {@code fromJson(new JsonObject(bytes))}), which stays the
 * reference.
 */
class KafkaCodecsFastPathTest {
  private static final KafkaJsonCodec<RawTelemetry> RAW = KafkaCodecs.RAW_TELEMETRY;
  private static final KafkaJsonCodec<DecodedTelemetry> DECODED = KafkaCodecs.DECODED_TELEMETRY;
  private static final long T = 1764144000123L; // 2025-11-26T08:00:00.123Z

  // ---- the JsonObject path, as before the fast path ----

  private static <V extends Record> Buffer oldEncode(KafkaJsonCodec<V> codec, V v) {
    return codec.toJson(v).toBuffer();
  }

  private static <V extends Record> V oldDecode(KafkaJsonCodec<V> codec, Buffer bytes) {
    return codec.fromJson(new JsonObject(bytes));
  }

  // ---- random records ----

  private static String randomString(Random r) {
    int len = r.nextInt(10) == 0 ? r.nextInt(300) : r.nextInt(24);
    StringBuilder s = new StringBuilder(len);
    for (int i = 0; i < len; i++) {
      switch (r.nextInt(9)) {
        case 0 -> s.append('"');
        case 1 -> s.append('\\');
        case 2 -> s.append((char) r.nextInt(0x20)); // control characters
        case 3 -> s.append((char) (0x80 + r.nextInt(0x780))); // 2-byte UTF-8
        case 4 -> {
          char c = (char) (0x800 + r.nextInt(0xD800 - 0x800)); // 3-byte UTF-8 below the surrogates
          s.append(c);
        }
        case 5 -> s.appendCodePoint(0x10000 + r.nextInt(0x10FFFF - 0x10000)); // a surrogate pair
        case 6 -> s.append("/é€😀".charAt(r.nextInt(4)));
        default -> s.append((char) (0x20 + r.nextInt(0x5F)));
      }
    }
    return s.toString();
  }

  private static String maybeNull(Random r, String s) {
    return r.nextInt(8) == 0 ? null : s;
  }

  private static byte[] randomPayload(Random r) {
    int len = switch (r.nextInt(10)) {
      case 0 -> 0;
      case 1 -> 20_000 + r.nextInt(100_000); // larger than the generator's 8 KB buffer
      default -> r.nextInt(200);
    };
    byte[] b = new byte[len];
    r.nextBytes(b);
    return b;
  }

  private static long randomTime(Random r) {
    return switch (r.nextInt(6)) {
      case 0 -> r.nextLong() % 400_000_000_000_000L; // years about -10700 to +14600: both formatter paths
      case 1 -> -62_167_219_200_000L + r.nextInt(2000) - 1000; // around 0000-01-01
      default -> 1_600_000_000_000L + (long) (r.nextDouble() * 400_000_000_000L);
    };
  }

  private static long randomLong(Random r) {
    return switch (r.nextInt(4)) {
      case 0 -> r.nextLong();
      case 1 -> r.nextBoolean() ? Long.MAX_VALUE : Long.MIN_VALUE;
      default -> r.nextInt(100_000);
    };
  }

  private static RawTelemetry randomRaw(Random r) {
    return new RawTelemetry(maybeNull(r, randomString(r)), randomLong(r), maybeNull(r, randomString(r)),
        maybeNull(r, randomString(r)), maybeNull(r, randomString(r)), r.nextInt(5) == 0 ? r.nextInt() : r.nextInt(3),
        randomPayload(r), randomTime(r));
  }

  private static double randomDouble(Random r) {
    return switch (r.nextInt(8)) {
      case 0 -> {
        double d;
        do {
          d = Double.longBitsToDouble(r.nextLong());
        } while (Double.isNaN(d) || Double.isInfinite(d));
        yield d;
      }
      case 1 -> new double[] {0.0, -0.0, Double.MIN_VALUE, -Double.MAX_VALUE, Double.MAX_VALUE, 1e-300, 1e21,
          9007199254740993.0, 500}[r.nextInt(9)];
      case 2 -> r.nextInt(2000) - 1000; // integral: written as 500.0
      default -> (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(12) - 4);
    };
  }

  private static DecodedTelemetry randomDecoded(Random r) {
    int n = r.nextInt(10) == 0 ? r.nextInt(200) : r.nextInt(6);
    List<DecodedTelemetry.Value> values = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      values.add(new DecodedTelemetry.Value(r.nextInt(4) == 0 ? r.nextInt() : r.nextInt(1000),
          maybeNull(r, randomString(r)), randomDouble(r)));
    }
    return new DecodedTelemetry(maybeNull(r, randomString(r)), randomLong(r), randomTime(r), values);
  }

  private static void assertRawEquals(RawTelemetry expected, RawTelemetry actual) {
    assertEquals(expected.tenantId(), actual.tenantId());
    assertEquals(expected.deviceId(), actual.deviceId());
    assertEquals(expected.mac(), actual.mac());
    assertEquals(expected.topic(), actual.topic());
    assertEquals(expected.clientId(), actual.clientId());
    assertEquals(expected.qos(), actual.qos());
    assertArrayEquals(expected.payload(), actual.payload());
    assertEquals(expected.receivedAt(), actual.receivedAt());
  }

  // ---- agreement with the JsonObject path ----

  @Test
  void rawTelemetryAgreesWithTheJsonObjectPath() {
    Random r = new Random(20251126);
    for (int i = 0; i < 3000; i++) {
      RawTelemetry v = randomRaw(r);
      Buffer fast = RAW.encode(v);
      Buffer old = oldEncode(RAW, v);
      assertEquals(old, fast, "same bytes as toJson(v).toBuffer()");
      assertRawEquals(v, oldDecode(RAW, fast));
      assertRawEquals(v, RAW.decode(old));
      assertRawEquals(v, RAW.decode(fast));
    }
  }

  @Test
  void decodedTelemetryAgreesWithTheJsonObjectPath() {
    Random r = new Random(7);
    for (int i = 0; i < 3000; i++) {
      DecodedTelemetry v = randomDecoded(r);
      Buffer fast = DECODED.encode(v);
      Buffer old = oldEncode(DECODED, v);
      assertEquals(old, fast, "same bytes as toJson(v).toBuffer()");
      assertEquals(v, oldDecode(DECODED, fast));
      assertEquals(v, DECODED.decode(old));
      assertEquals(v, DECODED.decode(fast));
    }
  }

  @Test
  void theDocumentedJson() {
    RawTelemetry raw = new RawTelemetry("t1", 7, "aa:bb:cc:dd:ee:01", "stat/x", "f2-aabbccddee01", 1,
        new byte[] {1, 2, (byte) 0xff}, T);
    assertEquals("{\"tenantId\":\"t1\",\"deviceId\":7,\"mac\":\"aa:bb:cc:dd:ee:01\",\"topic\":\"stat/x\","
        + "\"clientId\":\"f2-aabbccddee01\",\"qos\":1,\"payload\":\"AQL/\",\"receivedAt\":\"2025-11-26T08:00:00.123Z\"}",
        RAW.encode(raw).toString());
    DecodedTelemetry d = new DecodedTelemetry(null, 7, T, List.of(new DecodedTelemetry.Value(1, "sensor-1.co2", 500)));
    assertEquals("{\"tenantId\":null,\"deviceId\":7,\"timestamp\":\"2025-11-26T08:00:00.123Z\","
        + "\"values\":[{\"datapointId\":1,\"label\":\"sensor-1.co2\",\"value\":500.0}]}", DECODED.encode(d).toString());
  }

  // ---- what the decoder accepts ----

  /** The entries of {@code json} in random order, with unknown fields (nested objects and arrays) among them. */
  private static JsonObject shuffled(JsonObject json, Random r, boolean unknown) {
    List<Map.Entry<String, Object>> entries = new ArrayList<>(json.getMap().entrySet());
    if (unknown) {
      entries.add(Map.entry("extra", new JsonObject().put("values", new JsonArray().add(1).add(new JsonObject()
          .put("deviceId", "x").putNull("n")).add(new JsonArray())).put("payload", "!!").put("s", "}]\"{")));
      entries.add(Map.entry("more", new JsonArray().add(new JsonArray().add(new JsonArray())).add("receivedAt")
          .add(true).add(1.5e300)));
      entries.add(Map.entry("flag", false));
      entries.add(Map.entry("n", 12345678901234567890.0));
      entries.add(Map.entry("big", new java.math.BigInteger("123456789012345678901234567890")));
    }
    Collections.shuffle(entries, r);
    JsonObject out = new JsonObject();
    entries.forEach(e -> out.put(e.getKey(), e.getValue()));
    if (unknown && out.containsKey("values")) {
      JsonArray values = new JsonArray();
      for (Object o : out.getJsonArray("values")) {
        JsonObject x = shuffled((JsonObject) o, r, false);
        if (r.nextBoolean()) {
          x.put("unit", new JsonObject().put("value", "°C").put("label", new JsonArray().add(7)));
        }
        values.add(shuffled(x, r, false));
      }
      out.put("values", values);
    }
    return out;
  }

  @Test
  void anyFieldOrderAndUnknownFieldsAreAccepted() {
    Random r = new Random(99);
    for (int i = 0; i < 1000; i++) {
      boolean unknown = r.nextBoolean();
      RawTelemetry raw = randomRaw(r);
      Buffer rawJson = shuffled(RAW.toJson(raw), r, unknown).toBuffer();
      assertRawEquals(raw, RAW.decode(rawJson));
      assertRawEquals(oldDecode(RAW, rawJson), RAW.decode(rawJson));
      DecodedTelemetry dec = randomDecoded(r);
      Buffer decJson = shuffled(DECODED.toJson(dec), r, unknown).toBuffer();
      assertEquals(dec, DECODED.decode(decJson));
      assertEquals(oldDecode(DECODED, decJson), DECODED.decode(decJson));
    }
  }

  @Test
  void nullsMissingOptionalsWhitespaceAndCommentsAsTheJsonObjectPath() {
    List<String> raws = List.of(
        "{\"deviceId\":7,\"qos\":1,\"payload\":\"AQL/\",\"receivedAt\":\"2025-11-26T08:00:00.123Z\"}",
        "{\"tenantId\":null,\"deviceId\":7,\"mac\":null,\"topic\":null,\"clientId\":null,\"qos\":0,\"payload\":\"\","
            + "\"receivedAt\":\"2025-11-26T09:00:00.123456+01:00\"}",
        " \n{ \"deviceId\" : -7 , // a comment\n \"qos\":2, /* another */ \"payload\":\"AQ\", \"payload\":\"AQI=\","
            + "\"receivedAt\":\"2025-11-26t08:00z\"}\n\t",
        "{\"deviceId\":7.0,\"qos\":1e0,\"payload\":\"\\u0041QL/\",\"receivedAt\":\"2025-11-26T08:00:00.1Z\"}");
    for (String s : raws) {
      Buffer b = Buffer.buffer(s);
      assertRawEquals(oldDecode(RAW, b), RAW.decode(b));
    }
    RawTelemetry first = RAW.decode(Buffer.buffer(raws.get(0)));
    assertNull(first.tenantId());
    assertNull(first.mac());
    assertEquals(0, RAW.decode(Buffer.buffer(raws.get(1))).payload().length);

    List<String> decodeds = List.of(
        "{\"deviceId\":7,\"timestamp\":\"2025-11-26T08:00:00.123Z\",\"values\":[]}",
        "{\"tenantId\":null,\"deviceId\":7,\"timestamp\":\"2025-11-26T08:00:00.123Z\",\"values\":[{\"datapointId\":1,"
            + "\"label\":null,\"value\":500},{\"value\":-1.5e-3,\"datapointId\":2},{\"datapointId\":3,\"value\":"
            + "123456789012345678901234567890}]}");
    for (String s : decodeds) {
      Buffer b = Buffer.buffer(s);
      assertEquals(oldDecode(DECODED, b), DECODED.decode(b));
    }
  }

  @Test
  void base64IsReadExactlyAsJavaUtilBase64() {
    Random r = new Random(3);
    String alphabet = "AQLg/+=a9 \n\té\u20ac";
    int accepted = 0;
    for (int i = 0; i < 50_000; i++) {
      StringBuilder s = new StringBuilder();
      int n = r.nextInt(12);
      for (int k = 0; k < n; k++) {
        s.append(alphabet.charAt(r.nextInt(r.nextBoolean() ? 6 : alphabet.length())));
      }
      String text = s.toString();
      Buffer json = new JsonObject().put("deviceId", 1).put("qos", 0).put("payload", text)
          .put("receivedAt", "2025-11-26T08:00:00.123Z").toBuffer();
      byte[] expected;
      try {
        expected = Base64.getDecoder().decode(text);
      } catch (IllegalArgumentException e) {
        var err = assertThrows(IllegalArgumentException.class, () -> RAW.decode(json), text);
        assertTrue(err.getMessage().contains("payload is not base64"), err.getMessage());
        continue;
      }
      accepted++;
      assertArrayEquals(expected, RAW.decode(json).payload(), text);
    }
    assertTrue(accepted > 1000, "the sample has valid strings too: " + accepted);
  }

  // ---- what it rejects ----

  private static void assertRejected(KafkaJsonCodec<?> codec, String json) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> codec.decode(Buffer.buffer(json.getBytes(StandardCharsets.UTF_8))), json);
    assertTrue(e.getMessage().startsWith("not a JSON object") || e.getMessage().startsWith("not a valid "),
        e.getMessage());
  }

  private static String rawWith(String field, String value) {
    JsonObject j = RAW.toJson(new RawTelemetry("t1", 7, "aa:bb:cc:dd:ee:01", "stat/x", "c", 1, new byte[] {1, 2}, T));
    StringBuilder s = new StringBuilder("{");
    for (String k : j.fieldNames()) {
      if (k.equals(field)) {
        if (value == null) {
          continue;
        }
        s.append('"').append(k).append("\":").append(value).append(',');
      } else {
        s.append('"').append(k).append("\":").append(Json.encode(j.getValue(k))).append(',');
      }
    }
    s.setLength(s.length() - 1);
    return s.append('}').toString();
  }

  private static String decodedWith(String field, String value) {
    String base = "{\"tenantId\":\"t1\",\"deviceId\":7,\"timestamp\":\"2025-11-26T08:00:00.123Z\","
        + "\"values\":[{\"datapointId\":1,\"label\":\"a\",\"value\":1.5}]}";
    JsonObject j = new JsonObject(base);
    StringBuilder s = new StringBuilder("{");
    for (String k : j.fieldNames()) {
      if (k.equals(field)) {
        if (value == null) {
          continue;
        }
        s.append('"').append(k).append("\":").append(value).append(',');
      } else {
        s.append('"').append(k).append("\":").append(Json.encode(j.getValue(k))).append(',');
      }
    }
    s.setLength(s.length() - 1);
    return s.append('}').toString();
  }

  private static final class Json {
    static String encode(Object o) {
      return io.vertx.core.json.Json.encode(o);
    }
  }

  @Test
  void truncatedJsonIsRejected() {
    String raw = RAW.encode(new RawTelemetry("t1", 7, "aa:bb:cc:dd:ee:01", "stat/é", "c", 1, new byte[] {1, 2, 3}, T))
        .toString();
    String dec = DECODED.encode(new DecodedTelemetry("t1", 7, T, List.of(new DecodedTelemetry.Value(1, "a", 1.5),
        new DecodedTelemetry.Value(2, "b", -2)))).toString();
    for (int i = 0; i < raw.length(); i++) {
      assertRejected(RAW, raw.substring(0, i));
    }
    for (int i = 0; i < dec.length(); i++) {
      assertRejected(DECODED, dec.substring(0, i));
    }
  }

  @Test
  void malformedRawTelemetryIsRejected() {
    assertRawEquals(oldDecode(RAW, Buffer.buffer(rawWith("none", null))), RAW.decode(Buffer.buffer(rawWith("none", null))));
    for (String s : List.of("", "   ", "[]", "\"x\"", "1", "null", "{", "{}x", "{} {}", "{\"deviceId\":1,}", "{'a':1}",
        "{\"deviceId\":1 \"qos\":1}", rawWith("mac", "nul"))) {
      assertRejected(RAW, s);
    }
    // missing required fields
    for (String field : List.of("deviceId", "qos", "payload", "receivedAt")) {
      assertRejected(RAW, rawWith(field, null));
      assertRejected(RAW, rawWith(field, "null"));
    }
    // wrong types
    for (String[] fv : new String[][] {{"deviceId", "\"7\""}, {"deviceId", "true"}, {"deviceId", "1.5"},
        {"deviceId", "1e30"}, {"deviceId", "123456789012345678901234567890"}, {"deviceId", "{}"},
        {"qos", "\"1\""}, {"qos", "3000000000"}, {"qos", "[1]"}, {"payload", "5"}, {"payload", "{}"},
        {"payload", "[\"AQ==\"]"}, {"receivedAt", "1764144000123"}, {"receivedAt", "{}"}, {"tenantId", "{\"a\":1}"},
        {"tenantId", "5"}, {"mac", "[]"}, {"topic", "false"}, {"clientId", "1.0"}}) {
      assertRejected(RAW, rawWith(fv[0], fv[1]));
    }
    // bad base64
    for (String p : List.of("\"A\"", "\"AQL!\"", "\"AQ=A\"", "\"AQ==AQ==\"", "\"A Q L /\"", "\"AQL/\\n\"", "\"=\"",
        "\"AQL/=\"", "\"é\"")) {
      assertRejected(RAW, rawWith("payload", p));
      assertThrows(IllegalArgumentException.class, () -> oldDecode(RAW, Buffer.buffer(rawWith("payload", p))), p);
    }
    // bad times
    for (String t : List.of("2025-02-30T00:00:00Z", "2025-11-26T24:00:00Z", "2025-13-01T00:00:00Z",
        "2025-11-26T08:00:00", "2025-11-26 08:00:00Z", "yesterday", "", "2025-11-26T08:00:60Z")) {
      assertRejected(RAW, rawWith("receivedAt", "\"" + t + "\""));
    }
  }

  @Test
  void malformedDecodedTelemetryIsRejected() {
    for (String s : List.of("", "[]", "{", "{\"values\":[", "{}[]", "{nope")) {
      assertRejected(DECODED, s);
    }
    for (String field : List.of("deviceId", "timestamp", "values")) {
      assertRejected(DECODED, decodedWith(field, null));
      assertRejected(DECODED, decodedWith(field, "null"));
    }
    for (String[] fv : new String[][] {{"deviceId", "\"7\""}, {"deviceId", "7.5"}, {"timestamp", "1764144000123"},
        {"timestamp", "\"2025-02-29T00:00:00Z\""}, {"timestamp", "\"2025-11-26T24:00:00Z\""},
        {"timestamp", "\"2025-00-26T08:00:00Z\""}, {"values", "{}"}, {"values", "\"x\""}, {"values", "[1]"},
        {"values", "[null]"}, {"values", "[[]]"}, {"values", "[{\"label\":\"a\",\"value\":1}]"},
        {"values", "[{\"datapointId\":1,\"label\":\"a\"}]"}, {"values", "[{\"datapointId\":1,\"value\":null}]"},
        {"values", "[{\"datapointId\":\"1\",\"value\":1}]"}, {"values", "[{\"datapointId\":1,\"value\":\"1\"}]"},
        {"values", "[{\"datapointId\":1,\"value\":true}]"}, {"values", "[{\"datapointId\":1,\"value\":\"NaN\"}]"},
        {"values", "[{\"datapointId\":1,\"value\":NaN}]"}, {"values", "[{\"datapointId\":1.5,\"value\":1}]"},
        {"values", "[{\"datapointId\":4294967296,\"value\":1}]"}, {"values", "[{\"datapointId\":1,\"value\":1,}]"},
        {"values", "[{\"datapointId\":1,\"label\":7,\"value\":1}]"}, {"tenantId", "[]"}}) {
      assertRejected(DECODED, decodedWith(fv[0], fv[1]));
    }
    var notJson = assertThrows(IllegalArgumentException.class, () -> DECODED.decode(Buffer.buffer("{nope")));
    assertTrue(notJson.getMessage().startsWith("not a JSON object"), notJson.getMessage());
    var missing = assertThrows(IllegalArgumentException.class,
        () -> DECODED.decode(Buffer.buffer("{\"tenantId\":\"t\",\"deviceId\":1}")));
    assertEquals("not a valid DecodedTelemetry: missing timestamp, values", missing.getMessage());
  }

  @Test
  void theJsonObjectPathNowAlsoRejectsBadTimesWithIllegalArgument() {
    Buffer b = Buffer.buffer(rawWith("receivedAt", "\"2025-02-30T00:00:00Z\""));
    assertThrows(IllegalArgumentException.class, () -> KafkaCodecs.TELEMETRY_REJECTED.decode(b));
  }

  @Test
  void encodingANullPayloadFailsAsBefore() {
    RawTelemetry v = new RawTelemetry("t", 1, "m", "t", "c", 0, null, T);
    assertThrows(NullPointerException.class, () -> oldEncode(RAW, v));
    assertThrows(NullPointerException.class, () -> RAW.encode(v));
  }
}
