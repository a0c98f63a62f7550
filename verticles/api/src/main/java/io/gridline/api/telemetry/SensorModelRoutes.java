package io.gridline.api.telemetry;

import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;
import static io.vertx.core.http.HttpMethod.PUT;

import io.gridline.api.http.Access;
import io.gridline.api.http.Bodies;
import io.gridline.api.http.Endpoints;
import io.gridline.api.http.Page;
import io.gridline.api.http.Respond;
import io.gridline.contracts.telemetry.TelemetryAddresses;
import io.vertx.core.eventbus.EventBus;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code /api/v1/sensor-models}: how controller payloads decode (admin; global). After a change every node's
 * stream-processor is told to reload its rules.
 */
public final class SensorModelRoutes {
  private final SensorModelRepository models;
  private final EventBus bus;

  public SensorModelRoutes(SensorModelRepository models, EventBus bus) {
    this.models = models;
    this.bus = bus;
  }

  public void mount(Endpoints endpoints) {
    endpoints.add(GET, "/api/v1/sensor-models", Access.ADMIN, this::list);
    endpoints.add(POST, "/api/v1/sensor-models", Access.ADMIN, this::create);
    endpoints.add(PUT, "/api/v1/sensor-models/:model/modes/:mode", Access.ADMIN, this::replaceMode);
  }

  private void list(RoutingContext ctx) {
    Page.of(ctx)
        .compose(page -> models.list(page).map(slice -> page.envelope(slice, SensorModelInput.Model::toJson)))
        .onComplete(Respond.json(ctx, 200, json -> json));
  }

  private void create(RoutingContext ctx) {
    Bodies.jsonObject(ctx)
        .compose(SensorModelInput::model)
        .compose(models::create)
        .onSuccess(this::announce)
        .onComplete(Respond.json(ctx, 201, SensorModelInput.Model::toJson));
  }

  private void replaceMode(RoutingContext ctx) {
    Bodies.jsonObject(ctx)
        .compose(body -> SensorModelInput.mode(ctx.pathParam("model"), ctx.pathParam("mode"), body))
        .compose(models::replaceMode)
        .onSuccess(this::announce)
        .onComplete(Respond.json(ctx, 200, SensorModelInput.Model::toJson));
  }

  private void announce(SensorModelInput.Model model) {
    bus.publish(TelemetryAddresses.SENSOR_MODEL_CHANGED, model.model());
  }
}
