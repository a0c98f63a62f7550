package io.gridline.mqtt;

import java.util.Set;

/**
 * What a device may prove itself with at CONNECT, read by {@link CredentialLookup}.
 *
 * @param secretHash         SHA-256 of its current secret, or null when none was issued
 * @param certificateSerials serials (lower-case hex) of its active certificates: issued for this device row, not
 *                           revoked, not expired
 */
record DeviceCredentials(byte[] secretHash, Set<String> certificateSerials) {
  /** Nothing to prove with (and nothing read): {@code mqtt.require-auth=false}. */
  static final DeviceCredentials NONE = new DeviceCredentials(null, Set.of());

  DeviceCredentials {
    certificateSerials = Set.copyOf(certificateSerials);
  }
}
