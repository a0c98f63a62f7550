package io.gridline.api;

import io.vertx.pgclient.PgException;

/** PostgreSQL error codes the repositories turn into HTTP problems. */
final class SqlStates {
  static final String UNIQUE_VIOLATION = "23505";
  static final String FOREIGN_KEY_VIOLATION = "23503";
  /** The statement was cancelled: here, because it ran past {@code statement_timeout}. */
  static final String QUERY_CANCELED = "57014";
  /** Raised by the device-count trigger (sql V2) when a tenant is at {@code max_devices}. */
  static final String DEVICE_LIMIT = "GL001";

  private SqlStates() {}

  static boolean is(Throwable err, String state) {
    return err instanceof PgException pg && state.equals(pg.getSqlState());
  }
}
