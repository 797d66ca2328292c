import { createDb } from '@solar/common';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../../testing/test-runtime.js';

const started: TestRuntime[] = [];
afterAll(async () => {
  for (const rt of started) await rt.close();
});

describe('readiness', () => {
  it('is ready while the platform DB answers, and not once shutdown begins', async () => {
    const rt = await startTestRuntime();
    started.push(rt);
    const ready = await fetch(`${rt.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { platformDb: true } });

    // while draining after SIGTERM the listener still answers in-flight connections; /readyz must say no
    let accepting = true;
    const rt2 = await startTestRuntime({ isAccepting: () => accepting });
    started.push(rt2);
    expect((await fetch(`${rt2.url}/readyz`)).status).toBe(200);
    accepting = false;
    const draining = await fetch(`${rt2.url}/readyz`);
    expect(draining.status).toBe(503);
    expect(await draining.json()).toEqual({ status: 'shutting-down' });
  });

  it('fails with 503 when the platform DB is unreachable, while /healthz stays up', async () => {
    // nothing listens on port 1: the registry pool cannot connect
    const unreachable = createDb({ url: 'mysql://root@127.0.0.1:1/platform', pool: { min: 0, max: 1 } });
    const rt = await startTestRuntime({ platformDb: unreachable });
    started.push(rt);
    try {
      const res = await fetch(`${rt.url}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ status: 'unavailable', checks: { platformDb: false } });
      expect((await fetch(`${rt.url}/healthz`)).status).toBe(200);

      const token = await rt.tokenFor({ id: 'abcdefabcdef', slug: 'any' });
      const gql = await rt.graphql(token, '{ viewer { tenantId } }');
      expect(gql.status).toBe(503);
      expect(gql.body.error.code).toBe('UNAVAILABLE');
    } finally {
      await unreachable.destroy();
    }
  });
});
