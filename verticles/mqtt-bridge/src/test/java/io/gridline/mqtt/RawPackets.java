package io.gridline.mqtt;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * MQTT packets written and read by hand, for tests that must control what goes on the wire (packet ids, DUP, bad ids)
 * or read what a client library will not: Paho's MQTT 5 client (1.2.5) rejects a SUBACK carrying 0x97 quota exceeded
 * as an invalid packet and drops the connection, although MQTT 5 §3.9.3 allows that code.
 */
final class RawPackets {
  private RawPackets() {}

  /** CONNECT with username = client id, password, clean session, keep-alive 60 s. */
  static byte[] connect(String clientId, String password) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    string(body, "MQTT");
    body.write(4);
    body.write(0xC2); // username, password, clean session
    body.write(0);
    body.write(60);
    string(body, clientId);
    string(body, clientId);
    string(body, password);
    return packet(0x10, body.toByteArray());
  }

  /** MQTT 5 CONNECT with username = client id, password, clean start, keep-alive 60 s, no properties. */
  static byte[] connect5(String clientId, String password) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    string(body, "MQTT");
    body.write(5);
    body.write(0xC2);
    body.write(0);
    body.write(60);
    body.write(0); // no properties
    string(body, clientId);
    string(body, clientId);
    string(body, password);
    return packet(0x10, body.toByteArray());
  }

  /** SUBSCRIBE of each filter at {@code qos}; MQTT 5 ({@code v5}) with no properties. */
  static byte[] subscribe(int id, boolean v5, int qos, String... filters) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(id >> 8);
    body.write(id & 0xff);
    if (v5) {
      body.write(0);
    }
    for (String f : filters) {
      string(body, f);
      body.write(qos);
    }
    return packet(0x82, body.toByteArray());
  }

  /** The next packet's fixed-header type byte and its body. */
  record Packet(int type, byte[] body) {}

  static Packet readPacket(DataInputStream in) throws IOException {
    int type = in.readUnsignedByte();
    int length = 0;
    int shift = 0;
    int digit;
    do {
      digit = in.readUnsignedByte();
      length |= (digit & 0x7f) << shift;
      shift += 7;
    } while ((digit & 0x80) != 0);
    return new Packet(type, read(in, length));
  }

  /** A SUBACK's reason codes: after the packet id and, in MQTT 5, the properties (none expected here). */
  static int[] subackCodes(Packet suback, boolean v5) {
    if (suback.type() != 0x90) {
      throw new AssertionError("expected SUBACK, got packet type 0x" + Integer.toHexString(suback.type()));
    }
    int from = v5 ? 3 + suback.body()[2] : 2;
    int[] codes = new int[suback.body().length - from];
    for (int i = 0; i < codes.length; i++) {
      codes[i] = suback.body()[from + i] & 0xff;
    }
    return codes;
  }

  static byte[] publishQos2(String topic, int id, boolean dup, byte[] payload) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    string(body, topic);
    body.write(id >> 8);
    body.write(id & 0xff);
    body.write(payload);
    return packet(0x34 | (dup ? 0x08 : 0), body.toByteArray());
  }

  static byte[] read(DataInputStream in, int n) throws IOException {
    byte[] b = new byte[n];
    in.readFully(b);
    return b;
  }

  private static void string(ByteArrayOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.write(b.length >> 8);
    out.write(b.length & 0xff);
    out.write(b);
  }

  private static byte[] packet(int type, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(type);
    int len = body.length;
    do {
      int digit = len % 128;
      len /= 128;
      out.write(len > 0 ? digit | 0x80 : digit);
    } while (len > 0);
    out.writeBytes(body);
    return out.toByteArray();
  }
}
