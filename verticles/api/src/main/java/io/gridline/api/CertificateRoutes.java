package io.gridline.api;

import static io.vertx.core.http.HttpMethod.POST;

import io.gridline.runtime.DeviceCertificateAuthority;
import io.gridline.runtime.ExternalIds;
import io.gridline.runtime.GridlineConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/devices/{id}/certificate}: a fresh key pair and an X.509 client certificate with CN = the
 * device's client id ({@code f2-<mac>}), signed by Gridline's device CA, for MQTT over mTLS. The private key is in
 * this response only; Gridline keeps neither it nor the certificate. The CA is loaded (or, in the dev profile,
 * generated) once at start, off the event loop.
 */
final class CertificateRoutes {
  private static final Logger log = LoggerFactory.getLogger(CertificateRoutes.class);
  private final Vertx vertx;
  private final DeviceRepository devices;
  private final Future<Optional<DeviceCertificateAuthority>> authority;

  CertificateRoutes(Vertx vertx, DeviceRepository devices, GridlineConfig config) {
    this.vertx = vertx;
    this.devices = devices;
    this.authority = vertx.executeBlocking(() -> DeviceCertificateAuthority.fromConfig(config))
        .onFailure(err -> log.error("the device CA could not be loaded; certificate requests fail: {}",
            err.getMessage()));
  }

  void mount(Endpoints endpoints) {
    endpoints.add(POST, "/api/v1/devices/:id/certificate", Access.TENANT_WRITE, this::issue);
  }

  private void issue(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    PathIds.deviceId(ctx, "id")
        .compose(id -> devices.find(caller.tenantId(), id))
        .compose(CertificateRoutes::requireMqtt)
        .compose(this::sign)
        .onComplete(Respond.secretJson(ctx, 201, issued -> new JsonObject()
            .put("certificatePem", issued.certificatePem())
            .put("privateKeyPem", issued.privateKeyPem())
            .put("caPem", issued.caPem())));
  }

  private static Future<Device> requireMqtt(Device device) {
    return ExternalIds.MQTT.equals(device.kind()) ? Future.succeededFuture(device)
        : Future.failedFuture(Problem.conflict("certificates are for mqtt devices only; device " + device.id()
            + " is of kind " + device.kind()));
  }

  private Future<DeviceCertificateAuthority.Issued> sign(Device device) {
    return authority.compose(ca -> ca.isEmpty()
        ? Future.failedFuture(Problem.conflict("no device CA is configured (set mqtt.device-ca.cert-path and "
            + "mqtt.device-ca.key-path, or mqtt.device-ca.generate=true)"))
        : vertx.executeBlocking(() -> ca.get().issue("f2-" + device.externalId().replace(":", ""))));
  }
}
