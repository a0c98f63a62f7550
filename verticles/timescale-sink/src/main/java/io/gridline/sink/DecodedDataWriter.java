package io.gridline.sink;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;

/**
 * Writes a batch of rows into {@code decoded_data} with ONE statement: the columns travel as four arrays and
 * {@code unnest} turns them back into rows (vertx-pg-client has no COPY). {@code ON CONFLICT DO NOTHING} makes the
 * first reading of a (time, device, datapoint) win, so a redelivered record never duplicates a row.
 *
 * <p>Usable on its own (no Kafka, no verticle), which is how {@code bench/} measures it against COPY.
 */
public final class DecodedDataWriter {
  static final String INSERT = "INSERT INTO decoded_data (\"timestamp\", device_id, datapoint_id, value) "
      + "SELECT * FROM unnest($1::timestamptz[], $2::int[], $3::int[], $4::float8[]) ON CONFLICT DO NOTHING";

  /** @return how many rows were inserted; the rest were already there */
  public Future<Integer> insert(SqlClient client, DecodedRows rows) {
    if (rows.isEmpty()) {
      return Future.succeededFuture(0);
    }
    return client.preparedQuery(INSERT).execute(rows.asColumns()).map(result -> result.rowCount());
  }

  /** The same insert in its own transaction: committed when the future succeeds. */
  public Future<Integer> insertInTransaction(Pool pool, DecodedRows rows) {
    if (rows.isEmpty()) {
      return Future.succeededFuture(0);
    }
    return pool.withTransaction(connection -> insert(connection, rows));
  }
}
