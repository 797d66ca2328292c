import { Writable } from 'node:stream';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeRuntime, type FakeRuntime } from '../testing/fake-runtime.js';
import { startHarness, type Harness, type TestTenant } from '../testing/platform-api-harness.js';

// A real tracer provider with the W3C propagator, as the SDK installs when telemetry is on.
const provider = new NodeTracerProvider();
provider.register();

const lines: Array<Record<string, unknown>> = [];
const raw: string[] = [];
const sink = new Writable({
  write(chunk: Buffer, _enc, done) {
    raw.push(chunk.toString());
    lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
    done();
  },
});

let h: Harness;
let runtime: FakeRuntime;
let acme: TestTenant;

beforeAll(async () => {
  h = await startHarness({}, { logger: pino({ level: 'info' }, sink) });
  runtime = await startFakeRuntime(h.publicKey);
  acme = await h.addTenant({ slug: 'acme', endpoint: runtime.endpoint });
  await h.addIdentity(acme, 'ana@acme.test', 'correct horse battery');
});
afterAll(async () => {
  await runtime?.close();
  await h?.close();
  await provider.shutdown();
});

describe('tracing and request logs', () => {
  it("continues the caller's trace to the runtime and logs request id, tenant and trace id — no secrets", async () => {
    const token = await h.signIn(acme, 'ana@acme.test', 'correct horse battery');
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const res = await h.call('POST', '/graphql', {
      host: acme.host,
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
        'x-request-id': 'req-observe-1',
      },
      body: JSON.stringify({ query: '{ viewer { id } }', variables: { secretNote: 'do-not-log' } }),
    });
    expect(res.status).toBe(200);

    const upstreamParent = String(runtime.received[0]?.headers.traceparent);
    expect(upstreamParent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    expect(upstreamParent).not.toContain('00f067aa0ba902b7'); // a new span of ours, not the caller's

    const line = lines.find((l) => l.requestId === 'req-observe-1' && l.msg === 'request');
    expect(line).toMatchObject({ method: 'POST', path: '/graphql', status: 200, tenant: 'acme', traceId });
    const everything = raw.join('');
    for (const secret of [token, 'correct horse battery', 'do-not-log'])
      expect(everything).not.toContain(secret);
  });
});
