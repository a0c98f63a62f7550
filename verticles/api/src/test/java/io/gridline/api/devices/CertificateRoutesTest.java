package io.gridline.api.devices;

import static io.gridline.api.ApiFixture.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.api.ApiFixture;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Device certificates from the device CA; the mTLS connection with one is tested in mqtt-bridge and node. */
@ExtendWith(VertxExtension.class)
class CertificateRoutesTest {
  private static ApiFixture api;
  private static Path dataDir;
  private static int caPort;
  private static String writeKey;
  private static String readKey;
  private static String otherKey;

  @BeforeAll
  static void start(Vertx v) throws Exception {
    api = ApiFixture.start(v); // without a device CA
    dataDir = Files.createTempDirectory("gridline-api-ca-");
    caPort = api.deploy(api.config().put("mqtt.device-ca.generate", true)
        .put("devservices.data-dir", dataDir.toString())).actualPort();
    ApiFixture.TenantKeys keys = api.tenantWithKeys("certificates");
    String tenant = keys.tenantId();
    writeKey = keys.writeKey();
    readKey = keys.readKey();
    otherKey = keys.otherKey();
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  private static String path(long id) {
    return "/api/v1/devices/" + id + "/certificate";
  }

  private static HttpResponse<Buffer> issue(long id, String key) {
    return api.call(caPort, HttpMethod.POST, path(id), key, null);
  }

  @Test
  void issuesAKeyAndACertificateNamingTheClientIdSignedByTheDeviceCa() throws Exception {
    long id = api.createDevice(writeKey, "mqtt", "aa:bb:cc:20:00:01", "cert").getLong("id");
    HttpResponse<Buffer> r = issue(id, writeKey);
    assertEquals(201, r.statusCode(), r.bodyAsString());
    assertEquals("no-store", r.getHeader("Cache-Control"));
    JsonObject body = r.bodyAsJsonObject();
    X509Certificate cert = certificate(body.getString("certificatePem"));
    X509Certificate ca = certificate(body.getString("caPem"));
    assertEquals("CN=f2-aabbcc200001", cert.getSubjectX500Principal().getName());
    assertEquals(ca.getSubjectX500Principal(), cert.getIssuerX500Principal());
    cert.verify(ca.getPublicKey());
    cert.checkValidity();
    assertTrue(cert.getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.2"), "clientAuth");
    assertEquals(-1, cert.getBasicConstraints());
    assertEquals(Files.readString(dataDir.resolve("device-ca.crt.pem")), body.getString("caPem"));
    // the private key belongs to the certificate
    PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder()
        .decode(body.getString("privateKeyPem").replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""))));
    Signature sign = Signature.getInstance("SHA256withECDSA");
    sign.initSign(key);
    sign.update(new byte[] {1, 2, 3});
    byte[] signature = sign.sign();
    Signature check = Signature.getInstance("SHA256withECDSA");
    check.initVerify(cert.getPublicKey());
    check.update(new byte[] {1, 2, 3});
    assertTrue(check.verify(signature));

    JsonObject again = issue(id, writeKey).bodyAsJsonObject();
    assertNotEquals(body.getString("privateKeyPem"), again.getString("privateKeyPem"));
  }

  @Test
  void everyIssuedCertificateIsRecordedAndCanBeRevokedOneByOne() {
    long id = api.createDevice(writeKey, "mqtt", "aa:bb:cc:20:00:04", "cert4").getLong("id");
    JsonObject first = issue(id, writeKey).bodyAsJsonObject();
    JsonObject second = issue(id, writeKey).bodyAsJsonObject();
    assertTrue(first.getString("serial").matches("[0-9a-f]{1,40}"), first.getString("serial"));
    assertNotEquals(first.getString("serial"), second.getString("serial"));
    assertTrue(first.getString("notAfter").endsWith("Z"));

    JsonObject list = api.call(caPort, HttpMethod.GET, "/api/v1/devices/" + id + "/certificates", readKey, null)
        .bodyAsJsonObject();
    assertEquals(2, list.getLong("total"));
    JsonObject listed = list.getJsonArray("items").getJsonObject(0);
    assertEquals(first.getString("serial"), listed.getString("serial"));
    assertEquals("active", listed.getString("status"));
    assertEquals("f2-aabbcc200004", listed.getString("subject"));
    assertEquals(id, listed.getLong("deviceId"));

    String revoke = "/api/v1/devices/" + id + "/certificates/" + first.getString("serial").toUpperCase();
    problem(api.call(caPort, HttpMethod.DELETE, revoke, readKey, null), 403);
    problem(api.call(caPort, HttpMethod.DELETE, revoke, otherKey, null), 404);
    assertEquals(204, api.call(caPort, HttpMethod.DELETE, revoke, writeKey, null).statusCode());
    assertEquals(204, api.call(caPort, HttpMethod.DELETE, revoke, writeKey, null).statusCode(), "idempotent");
    problem(api.call(caPort, HttpMethod.DELETE, "/api/v1/devices/" + id + "/certificates/abc123", writeKey, null), 404);
    problem(api.call(caPort, HttpMethod.DELETE, "/api/v1/devices/" + id + "/certificates/xyz", writeKey, null), 400);
    var statuses = api.call(caPort, HttpMethod.GET, "/api/v1/devices/" + id + "/certificates", writeKey, null)
        .bodyAsJsonObject().getJsonArray("items");
    assertEquals("revoked", statuses.getJsonObject(0).getString("status"));
    assertTrue(statuses.getJsonObject(0).getString("revokedAt").endsWith("Z"));
    assertEquals("active", statuses.getJsonObject(1).getString("status"));
    problem(api.call(caPort, HttpMethod.GET, "/api/v1/devices/" + id + "/certificates", otherKey, null), 404);
  }

  @Test
  void reissuingCredentialsOrDeletingTheDeviceRevokesEveryCertificate() {
    long id = api.createDevice(writeKey, "mqtt", "aa:bb:cc:20:00:05", "cert5").getLong("id");
    issue(id, writeKey);
    issue(id, writeKey);
    assertEquals(201, api.call(caPort, HttpMethod.POST, "/api/v1/devices/" + id + "/credentials", writeKey, null)
        .statusCode());
    var items = api.call(caPort, HttpMethod.GET, "/api/v1/devices/" + id + "/certificates", writeKey, null)
        .bodyAsJsonObject().getJsonArray("items");
    assertEquals(2, items.size());
    items.forEach(o -> assertEquals("revoked", ((JsonObject) o).getString("status")));

    JsonObject kept = issue(id, writeKey).bodyAsJsonObject();
    assertEquals(204, api.call(caPort, HttpMethod.DELETE, "/api/v1/devices/" + id, writeKey, null).statusCode());
    assertEquals("revoked", api.row("SELECT CASE WHEN revoked_at IS NULL THEN 'active' ELSE 'revoked' END AS s "
        + "FROM device_certificates WHERE serial = $1", kept.getString("serial")).getString("s"));
  }

  @Test
  void onlyMqttDevicesOfTheCallersTenantWithAWriteKey() {
    long id = api.createDevice(writeKey, "mqtt", "aa:bb:cc:20:00:02", "cert2").getLong("id");
    problem(issue(id, otherKey), 404);
    problem(issue(id, readKey), 403);
    long lora = api.createDevice(writeKey, "lorawan", "70b3d57ed0000201", "lora").getLong("id");
    assertTrue(problem(issue(lora, writeKey), 409).getString("detail").contains("mqtt"));
  }

  @Test
  void withoutADeviceCaTheReasonIsGiven() {
    long id = api.createDevice(writeKey, "mqtt", "aa:bb:cc:20:00:03", "cert3").getLong("id");
    JsonObject p = problem(api.post(path(id), writeKey, null), 409);
    assertTrue(p.getString("detail").contains("mqtt.device-ca"), p.encode());
  }

  private static X509Certificate certificate(String pem) throws Exception {
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
  }
}
