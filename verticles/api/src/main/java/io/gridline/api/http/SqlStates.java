package io.gridline.api.http;

import io.vertx.pgclient.PgException;

/** PostgreSQL error codes the repositories turn into HTTP problems. */
public final class SqlStates {
  public static final String UNIQUE_VIOLATION = "23505";
  public static final String FOREIGN_KEY_VIOLATION = "23503";
  /** The statement was cancelled: here, because it ran past {@code statement_timeout}. */
  public static final String QUERY_CANCELED = "57014";
  /** Raised by the device-count trigger (sql V2) when a tenant is at {@code max_devices}. */
  public static final String DEVICE_LIMIT = "GL001";

  private SqlStates() {}

  public static boolean is(Throwable err, String state) {
    return err instanceof PgException pg && state.equals(pg.getSqlState());
  }
}
