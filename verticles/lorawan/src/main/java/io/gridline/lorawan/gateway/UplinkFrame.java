package io.gridline.lorawan.gateway;

/** A PHYPayload as one gateway received it. */
public record UplinkFrame(byte[] phyPayload, RxInfo rxInfo) {}
