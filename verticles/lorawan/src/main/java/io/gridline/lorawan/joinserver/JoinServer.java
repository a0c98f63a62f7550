package io.gridline.lorawan.joinserver;

import io.gridline.lrwn.frame.DevAddr;
import io.gridline.lrwn.frame.EncryptedJoinAccept;
import io.gridline.lrwn.frame.JoinRequest;
import io.gridline.lrwn.frame.SessionKeys;
import io.vertx.core.Future;

/**
 * Where OTAA joins are decided (the join server of LoRaWAN's backend interfaces): it holds the devices' root keys,
 * checks a JoinRequest and answers the JoinAccept and the session keys. The embedded one keeps AppKeys in PostgreSQL
 * sealed with {@code secrets.encryption-key}; an external one would speak the backend interfaces' JoinReq/JoinAns.
 */
public interface JoinServer {

  /** What the network server asks: the address it chose for the device and its RX settings. */
  record Terms(DevAddr devAddr, int rxDelaySeconds) {}

  /** A device accepted: the JoinAccept as on air and the keys the device derives too. */
  record Accepted(long deviceId, String tenantId, String devEui, String region, String macVersion,
      String payloadCodec, DevAddr devAddr, int joinNonce, SessionKeys keys, EncryptedJoinAccept accept) {}

  /**
   * Decides the request.
   *
   * @return the accept; fails with {@code UplinkRefusal} (unknown-dev-eui, join-eui-mismatch, no-app-key,
   *         mic-mismatch, dev-nonce-replay) when the device may not join
   */
  Future<Accepted> join(JoinRequest request, Terms terms);
}
