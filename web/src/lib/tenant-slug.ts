/** A workspace slug as the operator accepts it (operator/src/tenant-spec.ts): the sub-domain label. */
export const TENANT_SLUG = /^[a-z][a-z0-9-]{1,38}[a-z0-9]$/;
