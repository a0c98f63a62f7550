package io.gridline.lorawan.joinserver;

import io.gridline.lorawan.uplink.UplinkRefusal;
import io.gridline.lrwn.frame.AesKey;
import io.gridline.lrwn.frame.DlSettings;
import io.gridline.lrwn.frame.JoinAccept;
import io.gridline.lrwn.frame.JoinAcceptCipher;
import io.gridline.lrwn.frame.JoinRequest;
import io.gridline.lrwn.frame.KeyDerivation;
import io.gridline.lrwn.frame.Mic;
import io.gridline.lrwn.frame.NetId;
import io.gridline.lrwn.frame.SessionKeys;
import io.gridline.lrwn.region.RegionParams;
import io.gridline.runtime.SecretBox;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;

/**
 * The join server inside the network server: AppKeys in {@code lorawan_devices.app_key}, sealed with the DevEUI as
 * associated data. DevNonces: LoRaWAN 1.0.3 devices never repeat one (every nonce seen is kept), 1.0.4 devices count
 * up (each must be above the last). The JoinNonce goes up by one per accept; the row is updated only if no other
 * join of the device moved it first, so two nodes cannot both accept one request.
 */
public final class EmbeddedJoinServer implements JoinServer {
  private static final String SELECT = "SELECT d.device_id, dv.tenant_id, d.join_eui, d.app_key, d.mac_version, "
      + "d.region, d.payload_codec, d.dev_nonces @> ARRAY[$2::integer] AS nonce_seen, d.last_dev_nonce, d.join_nonce "
      + "FROM lorawan_devices d JOIN devices dv ON dv.id = d.device_id WHERE d.dev_eui = $1";
  private static final String ACCEPT = "UPDATE lorawan_devices SET dev_nonces = array_append(dev_nonces, $2), "
      + "last_dev_nonce = $2, join_nonce = $3, joined_at = now(), updated_at = now() "
      + "WHERE device_id = $1 AND join_nonce = $4";

  private final Pool pool;
  private final SecretBox box;
  private final NetId netId;

  public EmbeddedJoinServer(Pool pool, SecretBox box, NetId netId) {
    this.pool = pool;
    this.box = box;
    this.netId = netId;
  }

  @Override
  public Future<Accepted> join(JoinRequest request, Terms terms) {
    String devEui = request.devEui().hex();
    int devNonce = request.devNonce();
    return pool.preparedQuery(SELECT).execute(Tuple.of(devEui, devNonce)).compose(rows -> {
      if (rows.size() == 0) {
        return refuse(UplinkRefusal.UNKNOWN_DEV_EUI, devEui + " is not a provisioned LoRaWAN device");
      }
      Row r = rows.iterator().next();
      String joinEui = r.getString("join_eui");
      if (joinEui != null && !joinEui.equals(request.joinEui().hex())) {
        return refuse(UplinkRefusal.JOIN_EUI_MISMATCH, devEui + " joins through " + joinEui + ", not "
            + request.joinEui().hex());
      }
      if (r.getBuffer("app_key") == null) {
        return refuse(UplinkRefusal.NO_APP_KEY, devEui + " has no AppKey here (ABP, or keys held elsewhere)");
      }
      AesKey appKey = AesKey.of(box.open(r.getBuffer("app_key").getBytes(), devEui.getBytes(StandardCharsets.US_ASCII)));
      if (!Mic.matchesJoinRequest(request, appKey)) {
        return refuse(UplinkRefusal.MIC_MISMATCH, "JoinRequest of " + devEui);
      }
      Integer last = r.getInteger("last_dev_nonce");
      boolean replay = "1.0.4".equals(r.getString("mac_version"))
          ? last != null && devNonce <= last
          : r.getBoolean("nonce_seen");
      if (replay) {
        return refuse(UplinkRefusal.DEV_NONCE_REPLAY, "DevNonce " + devNonce + " of " + devEui + " was used before");
      }
      int previousJoinNonce = r.getInteger("join_nonce");
      int joinNonce = previousJoinNonce + 1;
      String region = r.getString("region");
      RegionParams params = RegionParams.byName(region).orElseThrow();
      JoinAccept clear = new JoinAccept(joinNonce, netId, terms.devAddr(), new DlSettings(0, params.rx2DataRate()),
          terms.rxDelaySeconds(), params.cfList(), 0);
      JoinAccept signed = Mic.signJoinAccept(clear, appKey);
      SessionKeys keys = KeyDerivation.derive(appKey, joinNonce, netId, devNonce);
      long deviceId = r.getInteger("device_id");
      return pool.preparedQuery(ACCEPT).execute(Tuple.of(deviceId, devNonce, joinNonce, previousJoinNonce))
          .compose(updated -> updated.rowCount() == 1
              ? Future.succeededFuture(new Accepted(deviceId, r.getUUID("tenant_id").toString(), devEui, region,
                  r.getString("mac_version"), r.getString("payload_codec"), terms.devAddr(), joinNonce, keys,
                  JoinAcceptCipher.encrypt(signed, appKey)))
              : refuse(UplinkRefusal.DEV_NONCE_REPLAY, "another join of " + devEui + " was accepted meanwhile"));
    });
  }

  private static <T> Future<T> refuse(String reason, String detail) {
    return Future.failedFuture(new UplinkRefusal(reason, detail));
  }
}
