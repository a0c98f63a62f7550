package io.gridline.lrwn.semtechudp;

/** Server to gateway for every PULL_DATA, with its version and token: the downlink route is open. */
public record PullAck(int version, int token) implements SemtechPacket {
  public PullAck {
    Header.check(version, token);
  }

  @Override
  public byte[] encode() {
    return Header.datagram(version, token, PULL_ACK, null, null);
  }
}
