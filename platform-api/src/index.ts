export { createApp, type AppDeps } from './app.js';
export { loadPlatformConfig, platformConfigSchema, type PlatformConfig } from './config.js';
export { startPlatformApi, type PlatformApi, type StartOptions } from './server.js';
export { createIdentity, type CreateIdentityInput } from './identity/create-identity.js';
export type { Identity } from './identity/identity.js';
export { createTenantRegistry, type RegistryTenant, type TenantRegistry } from './tenancy/tenant-registry.js';
export { ensurePlatformDatabase, migratePlatform, platformMigrations } from './db/migrate.js';
