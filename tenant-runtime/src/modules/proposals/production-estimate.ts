import type { Logger } from '@solar/common';
import { z } from 'zod';
import { estimateOffline } from './offline-estimate.js';
import type { ProductionEstimate, SiteLocation, SystemDesign } from './proposal-schema.js';
import { createPvwattsClient, PVWATTS_DEFAULT_URL, type PvwattsClient } from './pvwatts-client.js';
import type { SystemSize } from './system-size.js';

/** Settings the runtime config should merge in (the lead wires them); no key means offline estimates. */
export const pvwattsConfigSchema = z.object({
  PVWATTS_API_KEY: z.string().trim().min(1).optional(),
  PVWATTS_BASE_URL: z.url().default(PVWATTS_DEFAULT_URL),
  PVWATTS_TIMEOUT_MS: z.coerce.number().int().min(100).default(15_000),
});
export type PvwattsConfig = z.output<typeof pvwattsConfigSchema>;

export type EstimateProduction = (
  design: SystemDesign,
  size: SystemSize,
  site: SiteLocation,
) => Promise<ProductionEstimate>;

/**
 * Picks the production source once, at start: PVWatts v8 when a key is configured, otherwise the offline
 * model (its result says `source: 'offline-estimate'` and lists its assumptions, so no one mistakes it).
 */
export function createProductionEstimator(config: PvwattsConfig, logger?: Logger): EstimateProduction {
  const client: PvwattsClient | null = config.PVWATTS_API_KEY
    ? createPvwattsClient({
        apiKey: config.PVWATTS_API_KEY,
        baseUrl: config.PVWATTS_BASE_URL,
        timeoutMs: config.PVWATTS_TIMEOUT_MS,
        ...(logger ? { logger } : {}),
      })
    : null;
  return async (design, size, site) => {
    const request = {
      systemCapacityKw: size.kwDc,
      moduleType: design.moduleType,
      lossesRate: design.lossesRate,
      arrayType: design.arrayType,
      tilt: design.tilt,
      azimuth: design.azimuth,
      lat: site.lat,
      lon: site.lon,
    };
    return client ? client.estimate({ ...request, dcAcRatio: size.dcAcRatio }) : estimateOffline(request);
  };
}
