package io.gridline.api.devices;

import static io.vertx.core.http.HttpMethod.POST;

import io.gridline.api.http.Access;
import io.gridline.api.http.Caller;
import io.gridline.api.http.Endpoints;
import io.gridline.api.http.PathIds;
import io.gridline.api.http.Respond;
import io.gridline.contracts.registry.DeviceChanged.Change;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /api/v1/devices/{id}/credentials}: issues the device's MQTT secret (password; username = client id),
 * shown once. Calling again reissues the device's credentials: the old secret stops working and every certificate
 * issued for the device is revoked; the broadcast credentials change makes every bridge drop its cached entry and close
 * the device's live sessions, on whichever node holds them.
 */
public final class CredentialRoutes {
  private final DeviceRepository devices;
  private final CredentialRepository credentials;
  private final RegistryEvents events;

  public CredentialRoutes(DeviceRepository devices, CredentialRepository credentials, RegistryEvents events) {
    this.devices = devices;
    this.credentials = credentials;
    this.events = events;
  }

  public void mount(Endpoints endpoints) {
    endpoints.add(POST, "/api/v1/devices/:id/credentials", Access.TENANT_WRITE, this::issue);
  }

  private void issue(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    PathIds.deviceId(ctx, "id")
        .compose(id -> devices.find(caller.tenantId(), id))
        .compose(device -> credentials.issue(caller.tenantId(), device.id())
            .onSuccess(secret -> events.deviceChanged(device, Change.CREDENTIALS)))
        .onComplete(Respond.secretJson(ctx, 201, secret -> new JsonObject().put("secret", secret)));
  }
}
