package io.gridline.contracts.registry;

import java.util.Objects;

/**
 * A device of the registry changed; caches on every node drop the entry. {@link Change#CREDENTIALS} (a secret
 * reissued, a certificate revoked) and {@link Change#DELETED} also end the device's live sessions wherever they are:
 * they were opened with credentials that no longer hold.
 *
 * @param deviceId   registry id
 * @param tenantId   owning tenant (UUID text)
 * @param kind       {@code mqtt|lorawan|charger|instrument}
 * @param externalId canonical external id (MAC, DevEUI, charger id, instrument id)
 * @param change     what happened
 */
public record DeviceChanged(long deviceId, String tenantId, String kind, String externalId, Change change) {
  /** What happened; the codec writes the ordinal, so new values go at the end. */
  public enum Change { CREATED, UPDATED, DELETED, CREDENTIALS }

  public DeviceChanged {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(externalId, "externalId");
    Objects.requireNonNull(change, "change");
  }
}
