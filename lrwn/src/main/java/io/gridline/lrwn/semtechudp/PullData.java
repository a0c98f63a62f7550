package io.gridline.lrwn.semtechudp;

import io.gridline.lrwn.frame.Eui64;

/** Gateway to server every few seconds, to keep the NAT route open for PULL_RESP; answered by PULL_ACK. */
public record PullData(int version, int token, Eui64 gateway) implements SemtechPacket {
  public PullData {
    Header.check(version, token);
  }

  public PullAck ack() {
    return new PullAck(version, token);
  }

  @Override
  public byte[] encode() {
    return Header.datagram(version, token, PULL_DATA, gateway, null);
  }
}
