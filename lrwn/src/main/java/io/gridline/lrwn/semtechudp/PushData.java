package io.gridline.lrwn.semtechudp;

import io.gridline.lrwn.frame.Eui64;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Gateway to server: packets heard ({@code rxpk}, several per datagram) and/or a status report ({@code stat}).
 * Packets whose CRC failed are split off into {@link #crcFailed}: nothing past the gateway layer may see them, and the
 * caller counts them.
 */
public record PushData(int version, int token, Eui64 gateway, List<RxPacket> rxpk, List<RxPacket> crcFailed,
    Optional<GatewayStats> stat) implements SemtechPacket {
  public PushData {
    Header.check(version, token);
    rxpk = List.copyOf(rxpk);
    crcFailed = List.copyOf(crcFailed);
    if (rxpk.stream().anyMatch(p -> p.crc() == CrcStatus.FAIL)
        || crcFailed.stream().anyMatch(p -> p.crc() != CrcStatus.FAIL)) {
      throw new IllegalArgumentException("CRC-failed packets go to crcFailed, and only they");
    }
  }

  static PushData decode(int version, int token, Eui64 gateway, byte[] datagram) throws SemtechPacketException {
    JsonObject json = JsonFields.parse(datagram, 12);
    JsonFields body = new JsonFields(json, "push_data");
    List<RxPacket> good = new ArrayList<>();
    List<RxPacket> failed = new ArrayList<>();
    if (body.has("rxpk")) {
      JsonArray rxpk = body.array("rxpk");
      for (int i = 0; i < rxpk.size(); i++) {
        if (!(rxpk.getValue(i) instanceof JsonObject entry)) {
          throw body.bad("rxpk[" + i + "]", "not an object");
        }
        RxPacket packet = RxPacket.fromJson(entry, "rxpk[" + i + "]");
        (packet.crc() == CrcStatus.FAIL ? failed : good).add(packet);
      }
    }
    Optional<GatewayStats> stat =
        body.has("stat") ? Optional.of(GatewayStats.fromJson(body.object("stat"))) : Optional.empty();
    return new PushData(version, token, gateway, good, failed, stat);
  }

  public PushAck ack() {
    return new PushAck(version, token);
  }

  @Override
  public byte[] encode() {
    JsonObject json = new JsonObject();
    if (!rxpk.isEmpty() || !crcFailed.isEmpty()) {
      JsonArray array = new JsonArray();
      rxpk.forEach(p -> array.add(p.toJson()));
      crcFailed.forEach(p -> array.add(p.toJson()));
      json.put("rxpk", array);
    }
    stat.ifPresent(s -> json.put("stat", s.toJson()));
    return Header.datagram(version, token, PUSH_DATA, gateway, json);
  }
}
