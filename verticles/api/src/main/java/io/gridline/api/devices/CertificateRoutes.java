package io.gridline.api.devices;

import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;

import io.gridline.api.http.Access;
import io.gridline.api.http.Caller;
import io.gridline.api.http.Endpoints;
import io.gridline.api.http.Page;
import io.gridline.api.http.PathIds;
import io.gridline.api.http.Problem;
import io.gridline.api.http.Respond;
import io.gridline.api.http.Timestamps;
import io.gridline.contracts.registry.DeviceChanged.Change;
import io.gridline.runtime.DeviceCertificateAuthority;
import io.gridline.runtime.GridlineConfig;
import io.gridline.runtime.device.ExternalIds;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Device client certificates for MQTT over mTLS:
 * <ul>
 *   <li>{@code POST /api/v1/devices/{id}/certificate}: a fresh key pair and an X.509 client certificate with CN = the
 *   device's client id ({@code f2-<mac>}), signed by Gridline's device CA, and recorded (serial, device row, tenant,
 *   not-after) in {@code device_certificates}: the bridge accepts a certificate only while its record is active for
 *   that very device row. The private key is in this response only; Gridline keeps neither it nor the certificate.</li>
 *   <li>{@code GET /api/v1/devices/{id}/certificates}: the device's certificates (list envelope), active, revoked or
 *   expired.</li>
 *   <li>{@code DELETE /api/v1/devices/{id}/certificates/{serial}}: revokes one; the device's live sessions end on
 *   whichever node holds them (a credentials change is broadcast), and the certificate is refused from then on.</li>
 * </ul>
 * The CA is loaded (or, in the dev profile, generated) once at start, off the event loop; a node configured with the
 * CA certificate but not its key cannot issue (409).
 */
public final class CertificateRoutes {
  private static final Logger log = LoggerFactory.getLogger(CertificateRoutes.class);
  private static final Pattern SERIAL = Pattern.compile("[0-9a-fA-F]{1,40}");
  private final Vertx vertx;
  private final DeviceRepository devices;
  private final CertificateRepository certificates;
  private final RegistryEvents events;
  private final Future<Optional<DeviceCertificateAuthority>> authority;

  public CertificateRoutes(Vertx vertx, DeviceRepository devices, CertificateRepository certificates,
      RegistryEvents events, GridlineConfig config) {
    this.vertx = vertx;
    this.devices = devices;
    this.certificates = certificates;
    this.events = events;
    this.authority = vertx.executeBlocking(() -> DeviceCertificateAuthority.fromConfig(config))
        .onFailure(err -> log.error("the device CA could not be loaded; certificate requests fail: {}",
            err.getMessage()));
  }

  public void mount(Endpoints endpoints) {
    endpoints.add(POST, "/api/v1/devices/:id/certificate", Access.TENANT_WRITE, this::issue);
    endpoints.add(GET, "/api/v1/devices/:id/certificates", Access.TENANT_READ, this::list);
    endpoints.add(DELETE, "/api/v1/devices/:id/certificates/:serial", Access.TENANT_WRITE, this::revoke);
  }

  private void issue(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    PathIds.deviceId(ctx, "id")
        .compose(id -> devices.find(caller.tenantId(), id))
        .compose(CertificateRoutes::requireMqtt)
        .compose(device -> sign(device).compose(issued -> certificates.record(caller.tenantId(), device.id(),
            issued.serial(), clientId(device), issued.notAfter()).map(issued)))
        .onComplete(Respond.secretJson(ctx, 201, issued -> new JsonObject()
            .put("serial", issued.serial())
            .put("notAfter", Timestamps.format(issued.notAfter().atOffset(java.time.ZoneOffset.UTC)))
            .put("certificatePem", issued.certificatePem())
            .put("privateKeyPem", issued.privateKeyPem())
            .put("caPem", issued.caPem())));
  }

  private void list(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    PathIds.deviceId(ctx, "id")
        .compose(id -> devices.find(caller.tenantId(), id))
        .compose(device -> Page.of(ctx).compose(page -> certificates.list(caller.tenantId(), device.id(), page)
            .map(slice -> page.envelope(slice, DeviceCertificate::toJson))))
        .onComplete(Respond.json(ctx, 200, json -> json));
  }

  private void revoke(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    PathIds.deviceId(ctx, "id")
        .compose(id -> serial(ctx).compose(serial -> devices.find(caller.tenantId(), id)
            .compose(device -> certificates.revoke(caller.tenantId(), device.id(), serial)
                .onSuccess(revoked -> events.deviceChanged(device, Change.CREDENTIALS)))))
        .onComplete(Respond.noContent(ctx));
  }

  private static Future<String> serial(RoutingContext ctx) {
    String raw = ctx.pathParam("serial");
    if (raw == null || !SERIAL.matcher(raw).matches()) {
      return Future.failedFuture(Problem.invalid("serial", "must be the certificate's serial in hex"));
    }
    // as recorded: lower case, no leading zeros
    String hex = raw.toLowerCase(Locale.ROOT).replaceFirst("^0+(?=.)", "");
    return Future.succeededFuture(hex);
  }

  private static Future<Device> requireMqtt(Device device) {
    return ExternalIds.MQTT.equals(device.kind()) ? Future.succeededFuture(device)
        : Future.failedFuture(Problem.conflict("certificates are for mqtt devices only; device " + device.id()
            + " is of kind " + device.kind()));
  }

  private static String clientId(Device device) {
    return "f2-" + device.externalId().replace(":", "");
  }

  private Future<DeviceCertificateAuthority.Issued> sign(Device device) {
    return authority.compose(ca -> ca.isEmpty()
        ? Future.failedFuture(Problem.conflict("this node cannot issue certificates: it has no device CA key (set "
            + DeviceCertificateAuthority.CERT_PATH + " and " + DeviceCertificateAuthority.KEY_PATH + ", or "
            + DeviceCertificateAuthority.GENERATE + "=true)"))
        : vertx.executeBlocking(() -> ca.get().issue(clientId(device))));
  }
}
