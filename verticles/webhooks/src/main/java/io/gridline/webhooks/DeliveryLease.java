package io.gridline.webhooks;

/**
 * A worker's hold on one claimed row while its attempt runs: the claim's token (the row is this worker's as long as it
 * still carries it) and until when, by this JVM's clock and counted from when the claim or the last renewal was sent,
 * no other worker can claim the row. {@link LeaseKeeper} renews it; it is lost when a renewal finds the row no longer
 * carries the token (its lease had run out and another worker claimed it). Event loop only.
 */
final class DeliveryLease {
  private final ClaimedDelivery delivery;
  private long endsAtNanos;
  private boolean lost;

  DeliveryLease(ClaimedDelivery delivery) {
    this.delivery = delivery;
    this.endsAtNanos = delivery.leaseEndsAtNanos();
  }

  ClaimedDelivery delivery() {
    return delivery;
  }

  /** What is left of the lease now; negative once it ended. */
  long leftMs() {
    return (endsAtNanos - System.nanoTime()) / 1_000_000;
  }

  boolean lost() {
    return lost;
  }

  void renewed(long endsAtNanos) {
    this.endsAtNanos = Math.max(this.endsAtNanos, endsAtNanos);
  }

  void lose() {
    lost = true;
  }
}
