package io.gridline.lrwn.region;

/**
 * The largest payloads a data rate carries, from the Regional Parameters' "not repeater compatible" tables.
 *
 * @param macPayload M: the MACPayload (FHDR + FPort + FRMPayload)
 * @param frmPayload N: the FRMPayload when FOpts are empty (M - 8)
 */
public record MaxPayload(int macPayload, int frmPayload) {}
