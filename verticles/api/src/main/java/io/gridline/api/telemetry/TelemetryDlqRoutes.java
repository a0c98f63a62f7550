package io.gridline.api.telemetry;

import static io.vertx.core.http.HttpMethod.GET;

import io.gridline.api.http.Access;
import io.gridline.api.http.Caller;
import io.gridline.api.http.Endpoints;
import io.gridline.api.http.Page;
import io.gridline.api.http.Respond;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /api/v1/telemetry/dlq}: the caller's tenant's undecodable telemetry, newest first (read key). */
public final class TelemetryDlqRoutes {
  private final TelemetryDlqRepository dlq;

  public TelemetryDlqRoutes(TelemetryDlqRepository dlq) {
    this.dlq = dlq;
  }

  public void mount(Endpoints endpoints) {
    endpoints.add(GET, "/api/v1/telemetry/dlq", Access.TENANT_READ, this::list);
  }

  private void list(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    Page.of(ctx)
        .compose(page -> dlq.list(caller.tenantId(), page).map(slice -> page.envelope(slice, json -> json)))
        .onComplete(Respond.json(ctx, 200, json -> json));
  }
}
