package io.gridline.api.lorawan;

import io.gridline.api.http.Problem;
import io.gridline.runtime.device.ExternalIds;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

/** The EUIs in LoRaWAN paths, canonical (16 lower-case hex digits) or a 404: no such resource can exist. */
final class LorawanIds {
  private LorawanIds() {}

  static Future<String> devEui(RoutingContext ctx) {
    return eui(ctx.pathParam("devEui"), "device");
  }

  static Future<String> gatewayId(RoutingContext ctx) {
    return eui(ctx.pathParam("gatewayId"), "gateway");
  }

  private static Future<String> eui(String raw, String what) {
    try {
      return Future.succeededFuture(ExternalIds.devEui(raw));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(Problem.notFound("no " + what + " " + raw));
    }
  }
}
