package io.gridline.lrwn.semtechudp;

import io.gridline.lrwn.frame.Eui64;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * Gateway to server (version 2): whether the PULL_RESP with this token was scheduled. No JSON, or an {@code error} of
 * NONE, means it was. SX1302 forwarders may add a {@code warn} (such as TX_POWER, when they lowered the power) to a
 * packet they did schedule.
 */
public record TxAck(int version, int token, Eui64 gateway, TxAckError error, Optional<TxAckError> warning)
    implements SemtechPacket {
  public TxAck {
    Header.check(version, token);
  }

  static TxAck decode(int version, int token, Eui64 gateway, byte[] datagram) throws SemtechPacketException {
    if (isBlank(datagram, 12)) {
      return new TxAck(version, token, gateway, TxAckError.NONE, Optional.empty());
    }
    JsonFields body = new JsonFields(JsonFields.parse(datagram, 12), "tx_ack");
    if (!body.has("txpk_ack")) {
      return new TxAck(version, token, gateway, TxAckError.NONE, Optional.empty());
    }
    JsonFields ack = new JsonFields(body.object("txpk_ack"), "txpk_ack");
    TxAckError error = ack.has("error") ? named(ack, "error") : TxAckError.NONE;
    Optional<TxAckError> warning = ack.has("warn") ? Optional.of(named(ack, "warn")) : Optional.empty();
    return new TxAck(version, token, gateway, error, warning);
  }

  private static boolean isBlank(byte[] datagram, int from) {
    for (int i = from; i < datagram.length; i++) {
      if (datagram[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static TxAckError named(JsonFields ack, String key) throws SemtechPacketException {
    String name = ack.string(key);
    try {
      return TxAckError.valueOf(name);
    } catch (IllegalArgumentException e) {
      throw ack.bad(key, "unknown value " + name);
    }
  }

  public boolean scheduled() {
    return error == TxAckError.NONE;
  }

  @Override
  public byte[] encode() {
    JsonObject ack = new JsonObject().put("error", error.name());
    warning.ifPresent(w -> ack.put("warn", w.name()));
    return Header.datagram(version, token, TX_ACK, gateway, new JsonObject().put("txpk_ack", ack));
  }
}
