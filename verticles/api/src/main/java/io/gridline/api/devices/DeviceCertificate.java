package io.gridline.api.devices;

import io.gridline.api.http.Timestamps;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;

/** A client certificate issued for a device (the record of it: Gridline keeps neither the certificate nor its key). */
record DeviceCertificate(String serial, long deviceId, String subject, OffsetDateTime notAfter,
    OffsetDateTime issuedAt, OffsetDateTime revokedAt) {
  static final String COLUMNS = "serial, device_id, subject, not_after, issued_at, revoked_at";

  static DeviceCertificate from(Row row) {
    Integer device = row.getInteger("device_id");
    return new DeviceCertificate(row.getString("serial"), device == null ? 0 : device, row.getString("subject"),
        row.getOffsetDateTime("not_after"), row.getOffsetDateTime("issued_at"), row.getOffsetDateTime("revoked_at"));
  }

  /** {@code active}, {@code revoked} or {@code expired}: whether the bridge accepts it at CONNECT. */
  String status() {
    if (revokedAt != null) {
      return "revoked";
    }
    return notAfter.isBefore(OffsetDateTime.now()) ? "expired" : "active";
  }

  JsonObject toJson() {
    return new JsonObject().put("serial", serial).put("deviceId", deviceId).put("subject", subject)
        .put("status", status()).put("notAfter", Timestamps.format(notAfter))
        .put("issuedAt", Timestamps.format(issuedAt)).put("revokedAt", Timestamps.format(revokedAt));
  }
}
