package io.gridline.contracts.registry;

/** An API key was revoked: any node-local state about it must be dropped. */
public record ApiKeyRevoked(String keyId, String tenantId) {}
