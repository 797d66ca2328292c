import { resolve } from 'node:path';
import type { Logger } from '@solar/common';
import { preflight } from './preflight.js';
import { loadOrCreateLocalSecrets } from './secrets.js';
import { startProgram, stopAll, waitUntilReady, type RunningProgram } from './processes.js';
import { ensureWebBuild } from './web-build.js';
import { provisionDemo, type DemoTenant } from '../demo/provision-demo.js';

export const repoRoot = resolve(import.meta.dirname, '../..');

export interface StackOptions {
  databaseUrl: string;
  redisUrl: string;
  /** worker: the outbox worker's health port (default runtime + 200, i.e. 4300 locally) */
  ports: { web: number; platformApi: number; runtime: number; operator: number; worker?: number };
  baseDomain: string;
  logLevel: string;
  /** where local secrets live (created on first start) */
  secretsPath: string;
  logDir: string;
  verbose: boolean;
  logger: Logger;
  /**
   * platform-api's Redis key prefix (rate limits, sign-in back-off, edge cache). Browser test runs pass
   * their own, so failed sign-ins of one run never lock out the next; `npm start` keeps the default.
   */
  redisKeyPrefix?: string;
  onStep?: (what: string) => void;
}

export interface Stack {
  demo: DemoTenant;
  urls: { web: string; platformApi: string; runtime: string; operator: string };
  programs: RunningProgram[];
  stop(): Promise<void>;
}

/** Everything `npm start` runs, as separate processes; also used by the browser tests on their own ports. */
export async function startStack(o: StackOptions): Promise<Stack> {
  const step = o.onStep ?? (() => {});
  const problems = await preflight(o.databaseUrl, o.redisUrl);
  if (problems.length) throw new Error(`Cannot start:\n  - ${problems.join('\n  - ')}`);
  step('MySQL/MariaDB and Redis reachable');

  const { secrets, created } = await loadOrCreateLocalSecrets(o.secretsPath);
  step(created ? `created local secrets in ${o.secretsPath}` : 'loaded local secrets');

  const urls = {
    web: `http://127.0.0.1:${o.ports.web}`,
    platformApi: `http://127.0.0.1:${o.ports.platformApi}`,
    runtime: `http://127.0.0.1:${o.ports.runtime}`,
    operator: `http://127.0.0.1:${o.ports.operator}`,
  };
  const demo = await provisionDemo({
    databaseUrl: o.databaseUrl,
    secretKey: Buffer.from(secrets.platformSecretKey, 'base64'),
    runtimeEndpoint: urls.runtime,
    logger: o.logger,
    onStep: step,
  });

  const webBuilt = await ensureWebBuild(resolve(repoRoot, 'web'));
  step(webBuilt ? 'built the web app' : 'web app build is up to date');

  const common = {
    NODE_ENV: 'development',
    // webhooks to a receiver on this machine (the production default refuses private addresses)
    WEBHOOKS_ALLOW_PRIVATE_TARGETS: 'true',
    DATABASE_URL: o.databaseUrl,
    REDIS_URL: o.redisUrl,
    LOG_LEVEL: o.logLevel,
    PLATFORM_SECRET_KEY: secrets.platformSecretKey,
  };
  const tsx = ['--import', 'tsx'];
  const workerPort = o.ports.worker ?? o.ports.runtime + 200;
  const specs = [
    {
      name: 'tenant-runtime',
      args: [...tsx, resolve(repoRoot, 'tenant-runtime/src/main.ts')],
      env: { ...common, PORT: String(o.ports.runtime), INTERNAL_TOKEN_PUBLIC_KEY: secrets.internalPublicJwk },
      readyUrl: `${urls.runtime}/readyz`,
    },
    {
      name: 'worker',
      args: [...tsx, resolve(repoRoot, 'tenant-runtime/src/worker/main.ts')],
      // reminder mail links to the web app (no SMTP_URL locally: mail is logged, not sent)
      env: {
        ...common,
        WORKER_PORT: String(workerPort),
        TENANT_WEB_URL: `http://{slug}.${o.baseDomain}:${o.ports.web}`,
      },
      readyUrl: `http://127.0.0.1:${workerPort}/readyz`,
    },
    {
      name: 'platform-api',
      args: [...tsx, resolve(repoRoot, 'platform-api/src/main.ts')],
      env: {
        ...common,
        PORT: String(o.ports.platformApi),
        BASE_DOMAIN: o.baseDomain,
        INTERNAL_TOKEN_PRIVATE_KEY: secrets.internalPrivateJwk,
        // the web server forwards each browser's address; without this every web sign-in shares one IP
        // and five wrong passwords from anyone would lock out all of them
        TRUST_PROXY: 'true',
        // self-service signup at /platform/graphql provisions through the operator's local driver
        SIGNUP_DRIVER: 'local',
        RUNTIME_ENDPOINT: urls.runtime,
        // invitation links point at the web app of the invited person's workspace
        TENANT_WEB_URL: `http://{slug}.${o.baseDomain}:${o.ports.web}`,
        ...(o.redisKeyPrefix ? { REDIS_KEY_PREFIX: o.redisKeyPrefix } : {}),
      },
      readyUrl: `${urls.platformApi}/readyz`,
    },
    {
      name: 'operator',
      args: [...tsx, resolve(repoRoot, 'operator/src/main.ts')],
      env: { ...common, PORT: String(o.ports.operator), RUNTIME_ENDPOINT: urls.runtime, DRIVER: 'local' },
      readyUrl: `${urls.operator}/readyz`,
    },
    {
      name: 'web',
      args: [resolve(repoRoot, 'web/build/index.js')],
      env: {
        ...common,
        PORT: String(o.ports.web),
        HOST: '0.0.0.0',
        PLATFORM_API_URL: urls.platformApi,
        API_PUBLIC_ORIGIN: `http://{tenant}.${o.baseDomain}:${o.ports.platformApi}`,
        BASE_DOMAIN: o.baseDomain,
        DEFAULT_TENANT: demo.slug,
      },
      readyUrl: `${urls.web}/healthz`,
    },
  ];
  const programs: RunningProgram[] = [];
  const stop = () => stopAll(programs);
  try {
    for (const spec of specs) programs.push(await startProgram(spec, o.logDir, o.verbose));
    await Promise.all(specs.map((spec, i) => waitUntilReady(programs[i]!, spec.readyUrl)));
  } catch (err) {
    await stop();
    throw err;
  }
  step('all programs ready');
  return { demo, urls, programs, stop };
}
