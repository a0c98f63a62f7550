package io.gridline.lrwn.semtechudp;

import io.vertx.core.json.JsonObject;

/**
 * Server to gateway: one packet to send. In version 2 the gateway answers with a TX_ACK carrying this token, so the
 * token ties the acknowledgement to the downlink; version 1 ignores it.
 */
public record PullResp(int version, int token, TxPacket txpk) implements SemtechPacket {
  public PullResp {
    Header.check(version, token);
  }

  static PullResp decode(int version, int token, byte[] datagram) throws SemtechPacketException {
    JsonFields body = new JsonFields(JsonFields.parse(datagram, 4), "pull_resp");
    return new PullResp(version, token, TxPacket.fromJson(body.object("txpk")));
  }

  @Override
  public byte[] encode() {
    return Header.datagram(version, token, PULL_RESP, null, new JsonObject().put("txpk", txpk.toJson()));
  }
}
