package io.gridline.runtime;

import io.vertx.sqlclient.DatabaseException;
import java.util.Locale;

/**
 * What a failed write says about the record that was being written. A database that answered with a data exception or
 * an integrity violation (SQLSTATE class 22 or 23) will answer the same way every time: retrying that record cannot
 * help. A store that did not answer at all (connection refused or lost, connect or network timeout, Kafka's retriable
 * errors, a server shutting down or out of connections) fails every record alike: waiting for it is right, and says
 * nothing about this record. Anything else — another database error, or an exception nobody expected — may pass, but
 * only a bounded number of times is worth trying.
 */
public final class Failures {
  /** How a failure is handled. */
  public enum Kind {
    /** The record itself cannot be stored (SQLSTATE class 22/23): park it at once. */
    PERMANENT,
    /** The store answered with another error: retry a bounded number of times, then park. */
    TRANSIENT,
    /** The store is unreachable: retry with backoff for as long as it takes (nothing can progress meanwhile). */
    UNAVAILABLE
  }

  private Failures() {}

  public static Kind kind(Throwable err) {
    for (Throwable t = err; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof DatabaseException db && db.getSqlState() != null) {
        return kindOf(db.getSqlState());
      }
      if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null) {
        return kindOf(sql.getSQLState());
      }
    }
    for (Throwable t = err; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (unreachable(t)) {
        return Kind.UNAVAILABLE;
      }
    }
    return Kind.TRANSIENT;
  }

  /** The store did not answer: no connection, a lost one, a timeout waiting for it, or Kafka saying "try again". */
  private static boolean unreachable(Throwable t) {
    if (t instanceof java.net.ConnectException || t instanceof java.net.UnknownHostException
        || t instanceof java.net.NoRouteToHostException || t instanceof java.nio.channels.ClosedChannelException
        || t instanceof java.util.concurrent.TimeoutException || t instanceof java.io.IOException
        || t instanceof io.vertx.sqlclient.ClosedConnectionException
        || t instanceof org.apache.kafka.common.errors.RetriableException
        || t instanceof org.apache.kafka.common.errors.TimeoutException) {
      return true;
    }
    String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
    // a pool whose connections are all busy and whose wait queue is full: the store is saturated, not the record wrong
    return message.contains("max wait queue size") || message.contains("connection refused") || message.contains("connection reset")
        || message.contains("connection was closed") || message.contains("pool closed")
        || message.contains("timeout") || message.contains("timed out");
  }

  public static boolean isPermanent(Throwable err) {
    return kind(err) == Kind.PERMANENT;
  }

  static Kind kindOf(String sqlState) {
    String s = sqlState.toUpperCase(Locale.ROOT);
    if (s.startsWith("22") || s.startsWith("23")) {
      return Kind.PERMANENT;
    }
    // 08 connection exception, 53 insufficient resources (too many connections, disk full), 57P0x shutdown / cannot
    // connect now: the store, not the record
    if (s.startsWith("08") || s.startsWith("53") || s.startsWith("57P")) {
      return Kind.UNAVAILABLE;
    }
    return Kind.TRANSIENT;
  }

  /** The failure's message, fit for a log line or a header: its class when it has none, escaped and capped. */
  public static String describe(Throwable err) {
    String message = err.getMessage();
    String text = message == null || message.isBlank() ? err.getClass().getSimpleName() : message;
    return UntrustedText.storable(text.replaceAll("[\\r\\n\\t]+", " "), 500);
  }
}
