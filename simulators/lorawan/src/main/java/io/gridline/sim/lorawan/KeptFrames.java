package io.gridline.sim.lorawan;

import io.gridline.lrwn.frame.Eui64;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What the server kept of the run, read from the api: per device, its frames received since the run started
 * ({@code GET /api/v1/lorawan/devices/{devEui}/frames?limit=1000}). UDP gives no answer to an unconfirmed uplink, so
 * this is how the simulator knows which uplinks were accepted.
 */
final class KeptFrames {
  private KeptFrames() {}

  static long count(URI api, String key, List<SimDevice> devices, Instant since) throws IOException,
      InterruptedException {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    long kept = 0;
    for (SimDevice d : devices) {
      HttpRequest request = HttpRequest.newBuilder(URI.create(api + "/api/v1/lorawan/devices/" + d.devEui.hex()
          + "/frames?limit=1000")).header("Authorization", "Bearer " + key).timeout(Duration.ofSeconds(10)).build();
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IOException("GET frames of " + d.devEui.hex() + ": HTTP " + r.statusCode() + " " + r.body());
      }
      JsonArray items = new JsonObject(r.body()).getJsonArray("items");
      for (int i = 0; i < items.size(); i++) {
        String at = items.getJsonObject(i).getString("receivedAt");
        if (at != null && !Instant.parse(at).isBefore(since)) {
          kept++;
        }
      }
    }
    return kept;
  }
}
