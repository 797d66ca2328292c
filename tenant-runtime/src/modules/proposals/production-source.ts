import type { Logger } from '@solar/common';
import {
  createProductionEstimator,
  type EstimateProduction,
  type PvwattsConfig,
} from './production-estimate.js';
import { PVWATTS_DEFAULT_URL } from './pvwatts-client.js';

/*
 * The production source proposals use, chosen once at start by buildRuntime (configureProductionSource). It is
 * process-wide because it depends only on configuration, never on the tenant or caller; until configured (e.g.
 * in a script) it is the offline estimate, which labels itself 'offline-estimate'.
 */
let estimator: EstimateProduction = createProductionEstimator({
  PVWATTS_BASE_URL: PVWATTS_DEFAULT_URL,
  PVWATTS_TIMEOUT_MS: 15_000,
});

export function configureProductionSource(config: PvwattsConfig, logger?: Logger): void {
  estimator = createProductionEstimator(config, logger);
}

export const estimateProduction: EstimateProduction = (design, size, site) => estimator(design, size, site);
