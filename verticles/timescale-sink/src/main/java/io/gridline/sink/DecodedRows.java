package io.gridline.sink;

import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Rows for {@code decoded_data}, kept column by column because that is how they travel: one array parameter per
 * column of the batch insert. Public so {@code bench/} can write the same rows with another method.
 */
public final class DecodedRows {
  private final List<OffsetDateTime> timestamps;
  private final List<Integer> deviceIds;
  private final List<Integer> datapointIds;
  private final List<Double> values;

  public DecodedRows(int expectedRows) {
    timestamps = new ArrayList<>(expectedRows);
    deviceIds = new ArrayList<>(expectedRows);
    datapointIds = new ArrayList<>(expectedRows);
    values = new ArrayList<>(expectedRows);
  }

  public void add(long epochMillis, int deviceId, int datapointId, double value) {
    timestamps.add(OffsetDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC));
    deviceIds.add(deviceId);
    datapointIds.add(datapointId);
    values.add(value);
  }

  public int size() {
    return values.size();
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }

  public OffsetDateTime timestamp(int i) {
    return timestamps.get(i);
  }

  public int deviceId(int i) {
    return deviceIds.get(i);
  }

  public int datapointId(int i) {
    return datapointIds.get(i);
  }

  public double value(int i) {
    return values.get(i);
  }

  /** The rows of these spans only (in their order): part of a batch, written on its own. */
  DecodedRows subset(java.util.List<BatchContext.Span> spans) {
    int n = 0;
    for (BatchContext.Span s : spans) {
      n += s.rowCount();
    }
    DecodedRows out = new DecodedRows(n);
    for (BatchContext.Span s : spans) {
      for (int i = s.firstRow(); i < s.firstRow() + s.rowCount(); i++) {
        out.timestamps.add(timestamps.get(i));
        out.deviceIds.add(deviceIds.get(i));
        out.datapointIds.add(datapointIds.get(i));
        out.values.add(values.get(i));
      }
    }
    return out;
  }

  /** The four column arrays, in the order of {@link DecodedDataWriter}'s parameters. */
  Tuple asColumns() {
    return Tuple.of(timestamps.toArray(new OffsetDateTime[0]), deviceIds.toArray(new Integer[0]),
        datapointIds.toArray(new Integer[0]), values.toArray(new Double[0]));
  }
}
