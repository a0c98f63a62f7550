package io.gridline.lrwn.semtechudp;

/** The {@code txpk_ack.error} values of PROTOCOL v2: why a gateway did not schedule a PULL_RESP, or NONE. */
public enum TxAckError {
  NONE,
  TOO_LATE,
  TOO_EARLY,
  COLLISION_PACKET,
  COLLISION_BEACON,
  TX_FREQ,
  TX_POWER,
  GPS_UNLOCKED
}
