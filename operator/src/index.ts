export * from './tenant-spec.js';
export * from './reconciler/types.js';
export { desired, tenantPrivileges, type DesiredTenant } from './reconciler/desired.js';
export { derivePhase, setCondition } from './reconciler/conditions.js';
export { reconcileTenant } from './reconciler/reconcile.js';
export {
  createLocalDriver,
  type LocalDriver,
  type LocalDriverOptions,
  type TenantRecord,
} from './local/driver.js';
