import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { createDb, createLogger, ident } from '@solar/common';
import { testServerUrl } from '@solar/platform-api/testing/platform-db';
import { startStack, type Stack } from '../../scripts/local/stack.js';

declare module 'vitest' {
  export interface ProvidedContext {
    stack: { web: string; platformApi: string; tenant: string; baseDomain: string };
  }
}

/**
 * Browser tests run against the real local stack — the same processes `npm start` runs — on their own ports
 * with their own platform database, so they never touch a developer's running instance.
 */
export default async function setup(project: TestProject) {
  const dbName = `platform_e2e_${randomBytes(4).toString('hex')}`;
  const url = new URL(testServerUrl);
  url.pathname = `/${dbName}`;
  const dir = await mkdtemp(join(tmpdir(), 'solar-e2e-'));
  const base = 3300 + Math.floor(Math.random() * 50) * 10;
  let stack: Stack | undefined;
  try {
    stack = await startStack({
      databaseUrl: url.toString(),
      redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      ports: { web: base, platformApi: base + 1, runtime: base + 2, operator: base + 3 },
      baseDomain: 'localhost',
      logLevel: 'warn',
      secretsPath: join(dir, 'secrets.json'),
      logDir: join(dir, 'logs'),
      verbose: false,
      logger: createLogger('e2e', 'warn'),
      redisKeyPrefix: `e2e:${dbName}:`,
    });
  } catch (err) {
    throw new Error(
      `could not start the stack for browser tests: ${(err as Error).message} (logs in ${dir}/logs)`,
    );
  }
  project.provide('stack', {
    web: `http://${stack.demo.slug}.localhost:${base}`,
    platformApi: stack.urls.platformApi,
    tenant: stack.demo.slug,
    baseDomain: 'localhost',
  });
  const demoId = stack.demo.id;
  return async () => {
    await stack?.stop();
    const server = createDb({ url: testServerUrl, database: null, pool: { min: 0, max: 1 } });
    await server.raw(`DROP DATABASE IF EXISTS ${ident(dbName)}`);
    await server.raw(`DROP DATABASE IF EXISTS ${ident(`t_${demoId}`)}`);
    await server.raw(`DROP USER IF EXISTS ?@'%'`, [`t_${demoId}`]);
    await server.destroy();
    await rm(dir, { recursive: true, force: true });
  };
}
