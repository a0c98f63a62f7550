package io.gridline.lrwn.frame;

/** A LoRaWAN 1.0.x session's keys: NwkSKey (MIC, FPort 0 payloads) and AppSKey (the other FRMPayloads). */
public record SessionKeys(AesKey nwkSKey, AesKey appSKey) {
  /** The FRMPayload key for a port: NwkSKey for 0 (MAC commands), AppSKey otherwise. */
  public AesKey forPort(int fPort) {
    return fPort == 0 ? nwkSKey : appSKey;
  }
}
