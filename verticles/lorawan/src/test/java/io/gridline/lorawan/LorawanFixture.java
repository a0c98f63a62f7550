package io.gridline.lorawan;

import io.gridline.lrwn.frame.AesKey;
import io.gridline.lrwn.region.RegionParams;
import io.gridline.lorawan.storage.DeviceSession;
import io.gridline.runtime.PgUrl;
import io.gridline.runtime.SecretBox;
import io.gridline.testkit.TestTopics;
import io.gridline.testkit.VerticleFixture;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

/**
 * The kit's verticle fixture for the lorawan verticle on a private Kafka broker, with what its tests provision by SQL
 * (tenants, gateways, devices, ABP sessions — the api's routes are tested in the api) and a reader of Kafka topics.
 * Blocks the test thread, never Vert.x.
 */
final class LorawanFixture extends VerticleFixture<LorawanVerticle> {
  static final long DEDUP_WINDOW_MS = 150;
  final SecretBox box;
  private final Connection db;

  LorawanFixture() {
    this(SecretBox.generateKey());
  }

  private LorawanFixture(String key) {
    super(setup(LorawanVerticle.SPEC).ownKafka()
        .with("kafka.partitions", 1)
        .with("secrets.encryption-key", key)
        .with("lorawan.udp-port", 0)
        .with("lorawan.host", "127.0.0.1")
        .with("lorawan.dedup-window-ms", DEDUP_WINDOW_MS));
    box = SecretBox.fromBase64(key);
    PgUrl pg = PgUrl.parse(pgUrl);
    try {
      Properties p = new Properties();
      p.setProperty("user", pg.user());
      if (pg.password() != null) {
        p.setProperty("password", pg.password());
      }
      db = DriverManager.getConnection(pg.jdbcUrl(), p);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  LorawanVerticle deploy() {
    return deploy(config());
  }

  UUID tenant(String name) {
    UUID id = UUID.randomUUID();
    update("INSERT INTO tenants (id, name, max_devices) VALUES (?, ?, 1000)", id, name);
    return id;
  }

  void gateway(UUID tenant, String gatewayId) {
    update("INSERT INTO lorawan_gateways (gateway_id, tenant_id, name, region) VALUES (?, ?, ?, 'EU868')", gatewayId,
        tenant, "gw " + gatewayId);
  }

  /** A registry device of kind lorawan and its lorawan_devices row; {@code appKey} may be null (ABP only). */
  long device(UUID tenant, String devEui, String joinEui, AesKey appKey, String codec, JsonObject metadata) {
    long id = queryLong("INSERT INTO devices (tenant_id, kind, external_id, name, metadata) VALUES (?, 'lorawan', ?, ?, "
        + "?::jsonb) RETURNING id", tenant, devEui, "lora " + devEui, metadata.encode());
    byte[] sealed = appKey == null ? null : box.seal(appKey.octets(), devEui.getBytes(StandardCharsets.US_ASCII));
    update("INSERT INTO lorawan_devices (device_id, dev_eui, join_eui, app_key, region, payload_codec) "
        + "VALUES (?, ?, ?, ?, 'EU868', ?)", id, devEui, joinEui, sealed, codec);
    return id;
  }

  /** An ABP session, as the api's activate route writes it. */
  void abp(long deviceId, String devEui, String devAddr, AesKey nwkSKey, AesKey appSKey, long fCntUp) {
    byte[] ad = devEui.getBytes(StandardCharsets.US_ASCII);
    update("INSERT INTO lorawan_sessions (device_id, dev_eui, dev_addr, activation, nwk_s_key, app_s_key, f_cnt_up, "
            + "n_f_cnt_down, state) VALUES (?, ?, ?, 'abp', ?, ?, ?, 0, ?::jsonb)", deviceId, devEui, devAddr,
        box.seal(nwkSKey.octets(), ad), box.seal(appSKey.octets(), ad), fCntUp,
        DeviceSession.initialState(RegionParams.byName("EU868").orElseThrow(), 1).encode());
  }

  void update(String sql, Object... args) {
    try (PreparedStatement st = prepare(sql, args)) {
      st.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  long queryLong(String sql, Object... args) {
    try (PreparedStatement st = prepare(sql, args); ResultSet rs = st.executeQuery()) {
      return rs.next() ? rs.getLong(1) : -1;
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  String queryString(String sql, Object... args) {
    try (PreparedStatement st = prepare(sql, args); ResultSet rs = st.executeQuery()) {
      return rs.next() ? rs.getString(1) : null;
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  private PreparedStatement prepare(String sql, Object... args) throws SQLException {
    PreparedStatement st = db.prepareStatement(sql);
    for (int i = 0; i < args.length; i++) {
      st.setObject(i + 1, args[i]);
    }
    return st;
  }

  /** Every record of {@code topic} so far, as JSON values. */
  List<JsonObject> records(String topic) {
    return TestTopics.read(kafkaBootstrap, topic).stream().map(TestTopics.Record::json).toList();
  }

  @Override
  public void close() {
    try {
      db.close();
    } catch (SQLException ignored) {
      // closing anyway
    }
    super.close();
  }
}
