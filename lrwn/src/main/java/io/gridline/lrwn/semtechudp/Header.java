package io.gridline.lrwn.semtechudp;

import io.gridline.lrwn.frame.Eui64;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/** The datagram header every packet writes: {@code version | token | identifier | [gateway EUI]}, then the JSON. */
final class Header {
  private Header() {}

  static void check(int version, int token) {
    if (version != 1 && version != 2) {
      throw new IllegalArgumentException("protocol version 1 or 2, not " + version);
    }
    if (token < 0 || token > 0xFFFF) {
      throw new IllegalArgumentException("a token has 16 bits: " + token);
    }
  }

  /** @param gateway null for the packets without one; @param body null for the packets without JSON */
  static byte[] datagram(int version, int token, int identifier, Eui64 gateway, JsonObject body) {
    byte[] json = body == null ? new byte[0] : body.encode().getBytes(StandardCharsets.UTF_8);
    int header = gateway == null ? 4 : 12;
    byte[] b = new byte[header + json.length];
    b[0] = (byte) version;
    b[1] = (byte) (token >>> 8);
    b[2] = (byte) token;
    b[3] = (byte) identifier;
    if (gateway != null) {
      gateway.writeBigEndian(b, 4);
    }
    System.arraycopy(json, 0, b, header, json.length);
    return b;
  }
}
