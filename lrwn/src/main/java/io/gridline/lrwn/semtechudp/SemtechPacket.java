package io.gridline.lrwn.semtechudp;

import io.gridline.lrwn.frame.Eui64;
import io.gridline.lrwn.semtechudp.SemtechPacketException.Reason;

/**
 * A datagram of the Semtech UDP packet-forwarder protocol (PROTOCOL.TXT v1, PROTOCOL.md v2): {@code version | token
 * (2) | identifier | [gateway EUI (8, most significant first)] | [JSON]}. Pure: no sockets here; the listener decodes
 * each datagram, answers PUSH_DATA with PUSH_ACK and PULL_DATA with PULL_ACK (same version and token), and sends
 * PULL_RESP to the address of the gateway's last PULL_DATA.
 */
public sealed interface SemtechPacket permits PushData, PushAck, PullData, PullResp, PullAck, TxAck {
  int PUSH_DATA = 0x00;
  int PUSH_ACK = 0x01;
  int PULL_DATA = 0x02;
  int PULL_RESP = 0x03;
  int PULL_ACK = 0x04;
  int TX_ACK = 0x05;

  /** 1 (original forwarder) or 2 (adds TX_ACK and a PULL_RESP token); answers repeat the version they answer. */
  int version();

  /** The random token, 0..65535; an ACK repeats the token of what it acknowledges. */
  int token();

  byte[] encode();

  /**
   * @throws SemtechPacketException with the reason when the datagram is not one of the protocol's; nothing else
   *     escapes
   */
  static SemtechPacket decode(byte[] datagram) throws SemtechPacketException {
    if (datagram.length < 4) {
      throw new SemtechPacketException(Reason.TOO_SHORT, datagram.length + " octets, the header needs 4");
    }
    int version = datagram[0] & 0xFF;
    if (version != 1 && version != 2) {
      throw new SemtechPacketException(Reason.UNKNOWN_VERSION, "version " + version);
    }
    int token = (datagram[1] & 0xFF) << 8 | (datagram[2] & 0xFF);
    int identifier = datagram[3] & 0xFF;
    return switch (identifier) {
      case PUSH_DATA -> PushData.decode(version, token, gateway(datagram), datagram);
      case PUSH_ACK -> new PushAck(version, token);
      case PULL_DATA -> new PullData(version, token, gateway(datagram));
      case PULL_RESP -> PullResp.decode(version, token, datagram);
      case PULL_ACK -> new PullAck(version, token);
      case TX_ACK -> TxAck.decode(version, token, gateway(datagram), datagram);
      default -> throw new SemtechPacketException(Reason.UNKNOWN_IDENTIFIER, String.format("0x%02x", identifier));
    };
  }

  private static Eui64 gateway(byte[] datagram) throws SemtechPacketException {
    if (datagram.length < 12) {
      throw new SemtechPacketException(Reason.TOO_SHORT,
          datagram.length + " octets, the header with the gateway EUI needs 12");
    }
    return Eui64.fromBigEndian(datagram, 4);
  }
}
