import { Unavailable, ValidationFailed, type Logger } from '@solar/common';
import { z } from 'zod';
import {
  ARRAY_TYPES,
  MODULE_TYPES,
  type ArrayType,
  type ModuleType,
  type ProductionEstimate,
} from './proposal-schema.js';

/** NREL's documented endpoint; the docs repo now also names developer.nlr.gov, so the host is configurable. */
export const PVWATTS_DEFAULT_URL = 'https://developer.nrel.gov/api/pvwatts/v8.json';

/** The upstream is down, throttling us, or refusing our key: not the user's input. */
export class PvwattsUnavailable extends Unavailable {
  constructor(
    message: string,
    public readonly upstreamStatus: number | null,
    /** seconds the upstream asked us to wait (429 Retry-After), when it said */
    public readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'PvwattsUnavailable';
  }
}

/** Request fields with PVWatts v8's documented ranges; checked before any call goes out. */
export const pvwattsRequestSchema = z.object({
  systemCapacityKw: z
    .number()
    .min(0.05, 'System capacity must be at least 0.05 kW')
    .max(500_000, 'System capacity must be at most 500000 kW'),
  moduleType: z.enum(MODULE_TYPES),
  lossesRate: z.number().min(-0.05, 'Losses must be at least -5 %').max(0.99, 'Losses must be at most 99 %'),
  arrayType: z.enum(ARRAY_TYPES),
  tilt: z.number().min(0, 'Tilt must be between 0 and 90').max(90, 'Tilt must be between 0 and 90'),
  azimuth: z
    .number()
    .min(0, 'Azimuth must be at least 0 and less than 360')
    .lt(360, 'Azimuth must be at least 0 and less than 360'),
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  dcAcRatio: z.number().gt(0).max(10).optional(),
  inverterEfficiencyPct: z.number().min(90).max(99.5).optional(),
  gcr: z.number().min(0.01).max(0.99).optional(),
  dataset: z.enum(['nsrdb', 'tmy2', 'tmy3', 'intl']).optional(),
  radiusMiles: z.number().int().min(0).max(2000).optional(),
});
export type PvwattsRequest = z.input<typeof pvwattsRequestSchema>;

const monthly = z.array(z.number()).length(12);
const responseSchema = z.object({
  version: z.string().optional(),
  errors: z.array(z.string()).default([]),
  warnings: z.array(z.string()).default([]),
  station_info: z
    .object({
      lat: z.number(),
      lon: z.number(),
      city: z.string().nullish(),
      state: z.string().nullish(),
      weather_data_source: z.string().nullish(),
    })
    .nullish(),
  outputs: z.object({
    ac_monthly: monthly,
    dc_monthly: monthly.optional(),
    poa_monthly: monthly.optional(),
    ac_annual: z.number(),
    solrad_annual: z.number().optional(),
    capacity_factor: z.number(),
  }),
});

export interface PvwattsClientOptions {
  apiKey: string;
  baseUrl?: string;
  /** per attempt */
  timeoutMs?: number;
  /** extra attempts after a 429, a 5xx, a timeout or a network error */
  maxRetries?: number;
  /** first backoff; doubles each retry, with jitter */
  backoffMs?: number;
  /** never wait longer than this between attempts; a longer Retry-After fails at once */
  maxBackoffMs?: number;
  logger?: Logger;
}

export interface PvwattsClient {
  estimate(request: PvwattsRequest): Promise<ProductionEstimate>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Retry-After is seconds or an HTTP date. */
function retryAfterSeconds(header: string | null): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, (at - Date.now()) / 1000);
}

/**
 * PVWatts v8 over fetch. The key travels in the X-Api-Key header (accepted by the api.data.gov gateway in
 * front of NREL), so it never sits in a URL that proxies or error messages might print; logs carry the
 * parameters only. 400/422 mean the design is out of range (ValidationFailed); 401/403 mean our key is bad
 * and 429/5xx/timeouts mean the service is busy (PvwattsUnavailable, the latter retried with backoff).
 */
export function createPvwattsClient(options: PvwattsClientOptions): PvwattsClient {
  const baseUrl = options.baseUrl ?? PVWATTS_DEFAULT_URL;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const maxRetries = options.maxRetries ?? 3;
  const backoffMs = options.backoffMs ?? 500;
  const maxBackoffMs = options.maxBackoffMs ?? 10_000;
  const log = options.logger?.child({ upstream: 'pvwatts' });

  async function estimate(raw: PvwattsRequest): Promise<ProductionEstimate> {
    const parsed = pvwattsRequestSchema.safeParse(raw);
    if (!parsed.success) throw ValidationFailed.fromZod(parsed.error, ['production']);
    const req = parsed.data;
    const params: Record<string, string> = {
      system_capacity: String(req.systemCapacityKw),
      module_type: String(MODULE_TYPES.indexOf(req.moduleType)),
      losses: String(Math.round(req.lossesRate * 10_000) / 100),
      array_type: String(ARRAY_TYPES.indexOf(req.arrayType)),
      tilt: String(req.tilt),
      azimuth: String(req.azimuth),
      lat: String(req.lat),
      lon: String(req.lon),
      timeframe: 'monthly',
      ...(req.dcAcRatio !== undefined ? { dc_ac_ratio: String(req.dcAcRatio) } : {}),
      ...(req.inverterEfficiencyPct !== undefined ? { inv_eff: String(req.inverterEfficiencyPct) } : {}),
      ...(req.gcr !== undefined ? { gcr: String(req.gcr) } : {}),
      ...(req.dataset !== undefined ? { dataset: req.dataset } : {}),
      ...(req.radiusMiles !== undefined ? { radius: String(req.radiusMiles) } : {}),
    };
    const url = `${baseUrl}?${new URLSearchParams(params).toString()}`;

    for (let attempt = 0; ; attempt++) {
      const outcome = await attemptOnce(url);
      if (outcome.ok) {
        log?.debug({ params, attempt }, 'pvwatts estimate received');
        return toEstimate(outcome.body, req);
      }
      const { error } = outcome;
      const retryable = outcome.retryable && attempt < maxRetries;
      if (!retryable) {
        log?.warn(
          { params, attempt, status: error.upstreamStatus, err: error.message },
          'pvwatts call failed',
        );
        throw error;
      }
      const exp = backoffMs * 2 ** attempt;
      const wait =
        error.retryAfterSeconds !== null
          ? error.retryAfterSeconds * 1000
          : exp / 2 + (Math.random() * exp) / 2;
      if (wait > maxBackoffMs) {
        log?.warn(
          { params, attempt, retryAfterSeconds: error.retryAfterSeconds },
          'pvwatts asked to wait too long',
        );
        throw error;
      }
      log?.info(
        { params, attempt, status: error.upstreamStatus, waitMs: Math.round(wait) },
        'pvwatts retrying',
      );
      await sleep(wait);
    }
  }

  type Outcome =
    | { ok: true; body: z.output<typeof responseSchema> }
    | { ok: false; retryable: boolean; error: PvwattsUnavailable };

  async function attemptOnce(url: string): Promise<Outcome> {
    let res: Response;
    try {
      res = await fetch(url, {
        headers: { 'X-Api-Key': options.apiKey, accept: 'application/json' },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      return {
        ok: false,
        retryable: true,
        error: new PvwattsUnavailable(
          timedOut ? `PVWatts did not answer within ${timeoutMs} ms` : 'PVWatts is unreachable',
          null,
        ),
      };
    }
    const text = await res.text().catch(() => '');
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (res.status === 400 || res.status === 422) {
      const errors = z.object({ errors: z.array(z.string()).min(1) }).safeParse(json);
      throw new ValidationFailed(
        {
          production: errors.success
            ? errors.data.errors
            : [`PVWatts rejected the request (HTTP ${res.status})`],
        },
        'PVWatts rejected the system parameters',
      );
    }
    if (res.status === 429)
      return {
        ok: false,
        retryable: true,
        error: new PvwattsUnavailable(
          'PVWatts rate limit reached',
          429,
          retryAfterSeconds(res.headers.get('retry-after')),
        ),
      };
    if (res.status >= 500)
      return {
        ok: false,
        retryable: true,
        error: new PvwattsUnavailable(`PVWatts failed (HTTP ${res.status})`, res.status),
      };
    if (res.status === 401 || res.status === 403)
      return {
        ok: false,
        retryable: false,
        error: new PvwattsUnavailable('PVWatts refused the configured API key', res.status),
      };
    if (!res.ok)
      return {
        ok: false,
        retryable: false,
        error: new PvwattsUnavailable(`PVWatts answered HTTP ${res.status}`, res.status),
      };
    const body = responseSchema.safeParse(json);
    if (!body.success)
      return {
        ok: false,
        retryable: false,
        error: new PvwattsUnavailable('PVWatts answered in an unexpected shape', res.status),
      };
    if (body.data.errors.length > 0)
      throw new ValidationFailed({ production: body.data.errors }, 'PVWatts rejected the system parameters');
    return { ok: true, body: body.data };
  }

  return { estimate };
}

function toEstimate(
  body: z.output<typeof responseSchema>,
  req: z.output<typeof pvwattsRequestSchema>,
): ProductionEstimate {
  const station = body.station_info;
  return {
    source: 'pvwatts-v8',
    acAnnualKwh: Math.round(body.outputs.ac_annual * 10) / 10,
    acMonthlyKwh: body.outputs.ac_monthly.map((v) => Math.round(v * 10) / 10),
    capacityFactorPct: body.outputs.capacity_factor,
    systemCapacityKw: req.systemCapacityKw,
    assumptions: [
      `NREL PVWatts ${body.version ?? 'v8'} with typical-year weather${station?.weather_data_source ? ` (${station.weather_data_source})` : ''}.`,
      `Array ${req.arrayType as ArrayType}, tilt ${req.tilt}°, azimuth ${req.azimuth}°, module ${req.moduleType as ModuleType}, system losses ${(req.lossesRate * 100).toFixed(1)} %.`,
    ],
    warnings: body.warnings,
    station: station
      ? { lat: station.lat, lon: station.lon, city: station.city ?? null, state: station.state ?? null }
      : null,
  };
}
