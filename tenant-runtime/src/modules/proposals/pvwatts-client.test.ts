import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { ValidationFailed } from '@solar/common';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createProductionEstimator } from './production-estimate.js';
import { catalogueSchema, systemDesignSchema } from './proposal-schema.js';
import { workedExample } from './proposal-fixture.js';
import { createPvwattsClient, PvwattsUnavailable, type PvwattsRequest } from './pvwatts-client.js';
import { sizeSystem } from './system-size.js';

/*
 * A real HTTP server on port 0 that answers like PVWatts v8 (shapes from the NREL docs): the client under
 * test makes genuine requests, so URL building, headers, status handling, retries and timeouts are exercised.
 */
const API_KEY = 'test-key-5a4b3c2d1e0f';
type Reply = { status: number; body?: unknown; headers?: Record<string, string> } | 'hang';
let replies: Reply[] = [];
const seen: { url: URL; headers: IncomingHttpHeaders }[] = [];
let server: Server;
let baseUrl: string;
const logLines: string[] = [];
const logger = pino(
  { level: 'debug' },
  new Writable({
    write(chunk: Buffer, _enc, done) {
      logLines.push(chunk.toString());
      done();
    },
  }),
);

const MONTHLY = [240.1, 275.3, 373.9, 413.8, 455.7, 455.0, 455.4, 434.8, 398.4, 345.7, 262.3, 230.9];
const success = {
  status: 200,
  body: {
    inputs: { system_capacity: '4' },
    errors: [],
    warnings: ['Latitude is close to the station'],
    version: '8.0.0',
    ssc_info: { version: 280 },
    station_info: {
      lat: 40.01,
      lon: -105.26,
      elev: 1636,
      tz: -7,
      city: '',
      state: 'Colorado',
      solar_resource_file: 'x.csv',
      weather_data_source: 'NSRDB PSM V3 GOES tmy-2020',
    },
    outputs: {
      ac_monthly: MONTHLY,
      dc_monthly: MONTHLY,
      poa_monthly: MONTHLY,
      solrad_monthly: MONTHLY,
      ac_annual: 4131.35,
      solrad_annual: 5.55,
      capacity_factor: 11.79,
    },
  },
};
const request: PvwattsRequest = {
  systemCapacityKw: 4,
  moduleType: 'standard',
  lossesRate: 0.14,
  arrayType: 'fixed_roof',
  tilt: 20,
  azimuth: 180,
  lat: 40,
  lon: -105,
  dcAcRatio: 1.2,
};
const client = (extra: Partial<Parameters<typeof createPvwattsClient>[0]> = {}) =>
  createPvwattsClient({ apiKey: API_KEY, baseUrl, backoffMs: 5, timeoutMs: 2_000, logger, ...extra });

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ url: new URL(req.url ?? '/', 'http://localhost'), headers: req.headers });
    const reply = replies.shift() ?? { status: 500, body: { errors: ['no reply scripted'] } };
    if (reply === 'hang') return; // never answers: the client's timeout must fire
    res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
    res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/pvwatts/v8.json`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  replies = [];
  seen.length = 0;
});

describe('PVWatts v8 client against a local PVWatts-like server', () => {
  it('sends the documented parameters, the key in a header, and returns a labelled estimate', async () => {
    replies = [success];
    const estimate = await client().estimate(request);
    expect(seen).toHaveLength(1);
    const { url, headers } = seen[0]!;
    expect(url.pathname).toBe('/api/pvwatts/v8.json');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      system_capacity: '4',
      module_type: '0',
      losses: '14',
      array_type: '1',
      tilt: '20',
      azimuth: '180',
      lat: '40',
      lon: '-105',
      timeframe: 'monthly',
      dc_ac_ratio: '1.2',
    });
    expect(headers['x-api-key']).toBe(API_KEY);
    expect(url.search).not.toContain(API_KEY);
    expect(estimate).toMatchObject({
      source: 'pvwatts-v8',
      acAnnualKwh: 4131.4,
      acMonthlyKwh: MONTHLY,
      capacityFactorPct: 11.79,
      systemCapacityKw: 4,
      warnings: ['Latitude is close to the station'],
      station: { lat: 40.01, lon: -105.26, city: '', state: 'Colorado' },
    });
    expect(estimate.assumptions[0]).toContain('NSRDB PSM V3 GOES tmy-2020');
  });

  it('maps a 422 with errors[] to ValidationFailed and does not retry it', async () => {
    replies = [
      {
        status: 422,
        body: { errors: ['tilt must be between 0 and 90', 'losses must be between -5 and 99'] },
      },
    ];
    const err = await client()
      .estimate(request)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationFailed);
    expect((err as ValidationFailed).fields.production).toEqual([
      'tilt must be between 0 and 90',
      'losses must be between -5 and 99',
    ]);
    expect(seen).toHaveLength(1);
  });

  it('checks the documented ranges before calling at all', async () => {
    const err = await client()
      .estimate({ ...request, systemCapacityKw: 0.01 })
      .catch((e: unknown) => e);
    expect((err as ValidationFailed).fields['production.systemCapacityKw']).toEqual([
      'System capacity must be at least 0.05 kW',
    ]);
    expect(seen).toHaveLength(0);
  });

  it('retries a 429 after Retry-After and then succeeds', async () => {
    replies = [
      { status: 429, headers: { 'retry-after': '0' }, body: { error: { code: 'OVER_RATE_LIMIT' } } },
      success,
    ];
    const estimate = await client().estimate(request);
    expect(estimate.acAnnualKwh).toBe(4131.4);
    expect(seen).toHaveLength(2);
  });

  it('retries 5xx with backoff and gives up as PvwattsUnavailable after maxRetries', async () => {
    replies = [{ status: 503 }, { status: 502 }, { status: 500 }, success];
    const err = await client({ maxRetries: 2 })
      .estimate(request)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PvwattsUnavailable);
    expect(err).toMatchObject({ status: 503, upstreamStatus: 500 });
    expect(seen).toHaveLength(3);
  });

  it('does not sit out an hour-long Retry-After: fails at once and says when to come back', async () => {
    replies = [{ status: 429, headers: { 'retry-after': '3600' } }, success];
    const err = await client()
      .estimate(request)
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ upstreamStatus: 429, retryAfterSeconds: 3600 });
    expect(seen).toHaveLength(1);
  });

  it('treats a refused key as our configuration problem, not the user input, and does not retry', async () => {
    replies = [{ status: 403, body: { error: { code: 'API_KEY_INVALID' } } }, success];
    const err = await client()
      .estimate(request)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PvwattsUnavailable);
    expect((err as Error).message).toBe('PVWatts refused the configured API key');
    expect(seen).toHaveLength(1);
  });

  it('times out a silent server and retries once more before giving up', async () => {
    replies = ['hang', 'hang'];
    const err = await client({ timeoutMs: 150, maxRetries: 1 })
      .estimate(request)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PvwattsUnavailable);
    expect((err as Error).message).toBe('PVWatts did not answer within 150 ms');
    expect(seen).toHaveLength(2);
  });

  it('rejects a 200 whose body is not a PVWatts answer', async () => {
    replies = [{ status: 200, body: { outputs: { ac_monthly: [1, 2, 3] } } }];
    await expect(client().estimate(request)).rejects.toThrow('PVWatts answered in an unexpected shape');
  });

  it('never writes the API key to the logs', () => {
    expect(logLines.length).toBeGreaterThan(3);
    expect(logLines.join('\n')).not.toContain(API_KEY);
  });
});

describe('production estimator picks its source from the configuration', () => {
  const example = workedExample();
  const design = systemDesignSchema.parse(example.design);
  const size = sizeSystem(design, catalogueSchema.parse(example.catalogue));
  const site = { lat: 40, lon: -105 };

  it('with no API key it estimates offline and says so, without any HTTP call', async () => {
    const estimate = await createProductionEstimator({
      PVWATTS_BASE_URL: baseUrl,
      PVWATTS_TIMEOUT_MS: 1_000,
    })(design, size, site);
    expect(estimate.source).toBe('offline-estimate');
    expect(estimate.systemCapacityKw).toBe(8.2);
    expect(seen).toHaveLength(0);
  });

  it('with a key it asks PVWatts for the designed system', async () => {
    replies = [success];
    const estimate = await createProductionEstimator({
      PVWATTS_API_KEY: API_KEY,
      PVWATTS_BASE_URL: baseUrl,
      PVWATTS_TIMEOUT_MS: 1_000,
    })(design, size, site);
    expect(estimate.source).toBe('pvwatts-v8');
    expect(seen[0]?.url.searchParams.get('system_capacity')).toBe('8.2');
    expect(seen[0]?.url.searchParams.get('tilt')).toBe('25');
    expect(seen[0]?.url.searchParams.get('dc_ac_ratio')).toBe('1.26');
  });
});
