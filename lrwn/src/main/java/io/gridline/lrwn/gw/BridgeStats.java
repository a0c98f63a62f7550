package io.gridline.lrwn.gw;

import java.util.Optional;

/**
 * A ChirpStack v4 {@code gw.GatewayStats} as published on {@code <region>/gateway/<gatewayId>/event/stats}: the
 * gateway's counters since its last stats, and where it is when it knows.
 *
 * @param time     when the gateway took them (RFC 3339), if it says
 * @param location latitude, longitude, altitude, when the message carries a location
 */
public record BridgeStats(String gatewayId, Optional<String> time, Optional<Location> location, long rxReceived,
    long rxReceivedOk, long txReceived, long txEmitted) {

  public record Location(double latitude, double longitude, double altitude) {}

  public static BridgeStats fromJson(byte[] payload) throws GatewayBridgeException {
    Fields root = Fields.root(payload);
    Optional<Location> location = Optional.empty();
    if (root.has("location")) {
      Fields l = root.object("location");
      location = Optional.of(new Location(l.decimal("latitude", -90, 90), l.decimal("longitude", -180, 180),
          l.decimal("altitude", -20_000, 100_000)));
    }
    long max = 0xFFFF_FFFFL;
    return new BridgeStats(BridgeUplink.gatewayId(root), root.string("time"), location,
        root.integer("rxPacketsReceived", 0, max), root.integer("rxPacketsReceivedOk", 0, max),
        root.integer("txPacketsReceived", 0, max), root.integer("txPacketsEmitted", 0, max));
  }
}
