package io.gridline.bench;

import java.util.Arrays;
import java.util.List;

/** Medians and percentiles of measured samples. */
final class Stats {
  private Stats() {}

  static double median(List<Double> xs) {
    double[] a = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int n = a.length;
    return n % 2 == 1 ? a[n / 2] : (a[n / 2 - 1] + a[n / 2]) / 2;
  }

  static double percentile(long[] sortedNanos, int count, double p) {
    if (count == 0) {
      return Double.NaN;
    }
    int idx = (int) Math.ceil(p / 100.0 * count) - 1;
    return sortedNanos[Math.max(0, Math.min(count - 1, idx))] / 1e6;
  }

  static long[] sorted(long[] xs, int count) {
    long[] copy = Arrays.copyOf(xs, count);
    Arrays.sort(copy);
    return copy;
  }
}
