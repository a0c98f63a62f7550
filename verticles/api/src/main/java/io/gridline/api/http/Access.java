package io.gridline.api.http;

/** Who may call a route. */
public enum Access {
  /** No credentials needed (the OpenAPI document). */
  ANYONE,
  /** Only the operator's admin key ({@code api.admin-key}): tenants and their API keys. */
  ADMIN,
  /** A tenant API key of either role: reads of that tenant's resources. */
  TENANT_READ,
  /** A tenant API key with role {@code write}. */
  TENANT_WRITE
}
