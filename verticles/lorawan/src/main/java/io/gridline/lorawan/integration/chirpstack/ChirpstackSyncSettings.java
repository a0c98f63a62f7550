package io.gridline.lorawan.integration.chirpstack;

import io.gridline.runtime.GridlineConfig;
import io.gridline.runtime.InvalidSetting;
import java.net.URI;
import java.util.Optional;

/**
 * {@code lorawan.chirpstack.*}: the external ChirpStack whose REST API provisioned LoRaWAN devices are pushed into.
 *
 * @param apiUrl          its REST API (e.g. {@code http://chirpstack-rest-api:8090}); empty = no sync
 * @param apiToken        its API token
 * @param applicationId   the application devices are created in
 * @param deviceProfileId the device profile they get
 * @param intervalMs      how often devices not yet synced (and deletions not yet done) are pushed again
 */
public record ChirpstackSyncSettings(Optional<URI> apiUrl, String apiToken, String applicationId,
    String deviceProfileId, long intervalMs) {

  public static ChirpstackSyncSettings from(GridlineConfig config) {
    Optional<URI> url = config.optString("lorawan.chirpstack.api-url").map(raw -> {
      try {
        URI uri = URI.create(raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw);
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
          throw new IllegalArgumentException("not an http(s) URL");
        }
        return uri;
      } catch (IllegalArgumentException e) {
        throw new InvalidSetting("lorawan.chirpstack.api-url", "is not an http(s) URL: " + raw);
      }
    });
    long interval = config.positiveLong("lorawan.chirpstack.sync-interval-ms");
    if (url.isEmpty()) {
      return new ChirpstackSyncSettings(url, "", "", "", interval);
    }
    return new ChirpstackSyncSettings(url, config.string("lorawan.chirpstack.api-token"),
        config.string("lorawan.chirpstack.application-id"), config.string("lorawan.chirpstack.device-profile-id"),
        interval);
  }
}
