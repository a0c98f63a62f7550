package io.gridline.codecs;

import com.fasterxml.jackson.core.Base64Variant;
import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.OutputStream;
import java.time.DateTimeException;

/**
 * Jackson streaming helpers of the hot Kafka codecs ({@link KafkaCodecs#RAW_TELEMETRY},
 * {@link KafkaCodecs#DECODED_TELEMETRY}): bytes to record and back without a {@code JsonObject} or {@code Map} in
 * between. The reading side is as permissive as Vert.x's own JSON parsing ({@code //} and {@code /* *}{@code /}
 * comments allowed, trailing content refused) so the fast path accepts what {@code new JsonObject(buffer)} accepts.
 */
final class JsonStreams {
  /** The one factory of the fast paths (thread-safe; parsers and generators are per call). */
  static final JsonFactory FACTORY = JsonFactory.builder().enable(JsonReadFeature.ALLOW_JAVA_COMMENTS).build();
  /** Writes what {@code Base64.getEncoder()} writes: the basic alphabet, '=' padding, no line feeds. */
  static final Base64Variant BASE64 = Base64Variants.MIME_NO_LINEFEEDS;
  /** Base64 alphabet value of each ASCII character; -2 for '=', -1 for the rest. */
  private static final int[] FROM_BASE64 = new int[128];

  static {
    java.util.Arrays.fill(FROM_BASE64, -1);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < alphabet.length(); i++) {
      FROM_BASE64[alphabet.charAt(i)] = i;
    }
    FROM_BASE64['='] = -2;
  }

  private JsonStreams() {}

  static SerializableString name(String fieldName) {
    return new SerializedString(fieldName);
  }

  /** A generator appending to {@code out}; closing it flushes. */
  static JsonGenerator generator(Buffer out) throws IOException {
    return FACTORY.createGenerator(new BufferOutput(out));
  }

  /** A parser over {@code bytes}, positioned before the first token. */
  static JsonParser parser(Buffer bytes) throws IOException {
    return FACTORY.createParser(bytes.getBytes());
  }

  /** Moves to the top-level {@code START_OBJECT}. */
  static void startObject(JsonParser p) throws IOException {
    JsonToken t = p.nextToken();
    if (t != JsonToken.START_OBJECT) {
      throw new IllegalArgumentException("not a JSON object: " + (t == null ? "no content" : "starts with " + t));
    }
  }

  /** After the top-level {@code END_OBJECT}: nothing else may follow (as {@code new JsonObject(buffer)}). */
  static void endOfInput(JsonParser p) throws IOException {
    JsonToken t = p.nextToken();
    if (t != null) {
      throw new IllegalArgumentException("not a JSON object: unexpected trailing token " + t);
    }
  }

  /** The current value as a string; {@code null} for JSON null. */
  static String string(JsonParser p, String type, String field) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_STRING) {
      return p.getText();
    }
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    throw wrongType(type, field, t, "a string");
  }

  /** The current value as a required string. */
  static String requiredString(JsonParser p, String type, String field) throws IOException {
    String s = string(p, type, field);
    if (s == null) {
      throw invalid(type, field + " is null");
    }
    return s;
  }

  /**
   * The current value, a base64 string, decoded from the parser's character buffer (no String in between) with exactly
   * the rules of {@code Base64.getDecoder().decode(String)}. Not {@link JsonParser#getBinaryValue}: Jackson's decoder
   * skips whitespace and reads on after a padded unit, which the JsonObject path (java.util.Base64) rejects.
   */
  static byte[] base64(JsonParser p, String type, String field) throws IOException {
    JsonToken t = p.currentToken();
    if (t != JsonToken.VALUE_STRING) {
      throw t == JsonToken.VALUE_NULL ? invalid(type, field + " is null") : wrongType(type, field, t, "a base64 string");
    }
    try {
      return decodeBase64(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
    } catch (IllegalArgumentException e) {
      throw invalid(type, field + " is not base64: " + e.getMessage(), e);
    }
  }

  /** {@code java.util.Base64.getDecoder()} (basic, RFC 4648 §4; padding optional) over {@code src[off, off+len)}. */
  static byte[] decodeBase64(char[] src, int off, int len) {
    if (len == 0) {
      return new byte[0];
    }
    if (len < 2) {
      throw new IllegalArgumentException("input should at least have 2 characters");
    }
    int sp = off;
    int sl = off + len;
    int paddings = 0;
    if (src[sl - 1] == '=') {
      paddings++;
      if (src[sl - 2] == '=') {
        paddings++;
      }
    }
    if (paddings == 0 && (len & 3) != 0) {
      paddings = 4 - (len & 3);
    }
    byte[] dst = new byte[3 * ((len + 3) / 4) - paddings];
    int dp = 0;
    int bits = 0;
    int shiftto = 18;
    while (sp < sl) {
      char c = src[sp++];
      int b = c < 128 ? FROM_BASE64[c] : -1;
      if (b < 0) {
        if (b == -2) {
          // "=" unnecessary padding, "xx=" missing the last "=", "xx=y" last is not "="
          if (shiftto == 6 && (sp == sl || src[sp++] != '=') || shiftto == 18) {
            throw new IllegalArgumentException("wrong 4-character ending unit");
          }
          break;
        }
        throw new IllegalArgumentException("illegal base64 character 0x" + Integer.toHexString(c));
      }
      bits |= b << shiftto;
      shiftto -= 6;
      if (shiftto < 0) {
        dst[dp++] = (byte) (bits >> 16);
        dst[dp++] = (byte) (bits >> 8);
        dst[dp++] = (byte) bits;
        shiftto = 18;
        bits = 0;
      }
    }
    if (shiftto == 6) {
      dst[dp++] = (byte) (bits >> 16);
    } else if (shiftto == 0) {
      dst[dp++] = (byte) (bits >> 16);
      dst[dp++] = (byte) (bits >> 8);
    } else if (shiftto == 12) {
      throw new IllegalArgumentException("last unit does not have enough valid bits");
    }
    if (sp < sl) {
      throw new IllegalArgumentException("incorrect ending character at " + (sp - off));
    }
    return dp == dst.length ? dst : java.util.Arrays.copyOf(dst, dp);
  }

  /** The current value, an RFC 3339 time, as epoch milliseconds. */
  static long time(JsonParser p, String type, String field) throws IOException {
    String s = requiredString(p, type, field);
    try {
      return Rfc3339.parse(s);
    } catch (DateTimeException e) {
      throw invalid(type, field + " is not an RFC 3339 time: " + e.getMessage(), e);
    }
  }

  /** The current value as a long: a JSON integer in range, or a float with an integral value. */
  static long longValue(JsonParser p, String type, String field) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NUMBER_INT) {
      JsonParser.NumberType nt = p.getNumberType();
      if (nt == JsonParser.NumberType.INT || nt == JsonParser.NumberType.LONG) {
        return p.getLongValue();
      }
      throw invalid(type, field + " is out of range: " + p.getText());
    }
    if (t == JsonToken.VALUE_NUMBER_FLOAT) {
      double d = p.getDoubleValue();
      if (d == Math.rint(d) && d >= -0x1p63 && d < 0x1p63) {
        return (long) d;
      }
      throw invalid(type, field + " is not an integer: " + p.getText());
    }
    throw t == JsonToken.VALUE_NULL ? invalid(type, field + " is null") : wrongType(type, field, t, "an integer");
  }

  static int intValue(JsonParser p, String type, String field) throws IOException {
    long v = longValue(p, type, field);
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw invalid(type, field + " is out of range: " + v);
    }
    return (int) v;
  }

  /** The current value as a double (a JSON integer or float). */
  static double doubleValue(JsonParser p, String type, String field) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
      return p.getDoubleValue();
    }
    throw t == JsonToken.VALUE_NULL ? invalid(type, field + " is null") : wrongType(type, field, t, "a number");
  }

  static IllegalArgumentException missing(String type, String fields) {
    return invalid(type, "missing " + fields);
  }

  static IllegalArgumentException wrongType(String type, String field, JsonToken t, String expected) {
    return invalid(type, field + " is " + describe(t) + ", expected " + expected);
  }

  static IllegalArgumentException invalid(String type, String reason) {
    return new IllegalArgumentException("not a valid " + type + ": " + reason);
  }

  static IllegalArgumentException invalid(String type, String reason, Throwable cause) {
    return new IllegalArgumentException("not a valid " + type + ": " + reason, cause);
  }

  private static String describe(JsonToken t) {
    if (t == null) {
      return "absent";
    }
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> t.toString();
    };
  }

  /** Appends what the generator flushes (once per 8 KB and on close) to a Vert.x buffer, without another copy. */
  private static final class BufferOutput extends OutputStream {
    private final Buffer out;

    BufferOutput(Buffer out) {
      this.out = out;
    }

    @Override
    public void write(int b) {
      out.appendByte((byte) b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      out.appendBytes(b, off, len);
    }
  }
}
