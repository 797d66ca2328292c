export { startKubernetesDriver, type KubernetesDriver, type KubernetesDriverOptions } from './driver.js';
export { kubeHealthHandler } from './health.js';
export type { ReconcileFn } from './tenant-controller.js';
export { FIELD_MANAGER, FINALIZER, GROUP, PLURAL, VERSION, tenantIdFor } from './names.js';
