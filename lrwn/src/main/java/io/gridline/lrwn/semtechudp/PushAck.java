package io.gridline.lrwn.semtechudp;

/** Server to gateway, at once for every PUSH_DATA, with its version and token. */
public record PushAck(int version, int token) implements SemtechPacket {
  public PushAck {
    Header.check(version, token);
  }

  @Override
  public byte[] encode() {
    return Header.datagram(version, token, PUSH_ACK, null, null);
  }
}
