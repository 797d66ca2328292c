/**
 * `npm start`: the whole product on one machine. Checks MySQL/MariaDB and Redis, migrates the platform schema,
 * provisions the demo tenant `acme` through the operator's local driver, seeds demo users and leads
 * (idempotently — a second start changes nothing), starts tenant-runtime, platform-api, the operator loop and
 * the web app as separate processes, and prints where to go and how to sign in.
 */
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { baseConfigSchema, createLogger, loadConfig } from '@solar/common';
import { z } from 'zod';
import { repoRoot, startStack, type Stack } from './local/stack.js';
import { DEMO_PASSWORD, DEMO_USERS } from './demo/provision-demo.js';

const config = loadConfig(
  baseConfigSchema.extend({
    WEB_PORT: z.coerce.number().int().default(3000),
    PLATFORM_API_PORT: z.coerce.number().int().default(4000),
    RUNTIME_PORT: z.coerce.number().int().default(4100),
    OPERATOR_PORT: z.coerce.number().int().default(4200),
    BASE_DOMAIN: z.string().default('localhost'),
    /** print every program's logs on this console instead of .data/logs */
    VERBOSE: z.stringbool().default(false),
  }),
);
const t0 = performance.now();
const seconds = () => ((performance.now() - t0) / 1000).toFixed(1);

async function main(): Promise<void> {
  console.log('Solar CRM — local mode\n');
  const logDir = resolve(repoRoot, '.data/logs');
  let stack: Stack | undefined;
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping…');
    await stack?.stop();
    process.exit(code);
  };
  process.once('SIGINT', () => void shutdown(0));
  process.once('SIGTERM', () => void shutdown(0));
  try {
    stack = await startStack({
      databaseUrl: config.DATABASE_URL,
      redisUrl: config.REDIS_URL,
      ports: {
        web: config.WEB_PORT,
        platformApi: config.PLATFORM_API_PORT,
        runtime: config.RUNTIME_PORT,
        operator: config.OPERATOR_PORT,
      },
      baseDomain: config.BASE_DOMAIN,
      logLevel: config.LOG_LEVEL,
      secretsPath: resolve(repoRoot, '.data/local-secrets.json'),
      logDir,
      verbose: config.VERBOSE,
      logger: createLogger('start', 'warn'),
      onStep: (what) => console.log(`  ${seconds().padStart(5)}s  ${what}`),
    });
  } catch (err) {
    console.error(`\n${(err as Error).message}`);
    process.exit(1);
  }
  const { demo, urls } = stack;
  console.log(`
  Solar CRM is running (local mode, ready in ${seconds()} s).

    Web app        http://${demo.slug}.${config.BASE_DOMAIN}:${config.WEB_PORT}   (or http://localhost:${config.WEB_PORT})
    Platform API   ${urls.platformApi}   (tenant by Host or header X-Tenant: ${demo.slug})
    Tenant runtime ${urls.runtime}   (internal: only accepts platform-api's signed token)
    Operator       ${urls.operator}/healthz

  Sign in to "${demo.displayName}" with password ${DEMO_PASSWORD} as any of:
${DEMO_USERS.map((u) => `    ${u.email.padEnd(30)} ${u.title}`).join('\n')}

  Logs: ${config.VERBOSE ? 'on this console' : `${logDir}/<program>.log`}. Ctrl-C stops everything.
`);
  for (const p of stack.programs) {
    p.child.once('exit', (code, signal) => {
      // a terminal's Ctrl-C reaches every program at once; only an exit nobody asked for is news
      if (!stopping && signal !== 'SIGTERM' && signal !== 'SIGINT') {
        console.error(`${p.name} stopped unexpectedly (code ${code}, signal ${signal}) — see ${p.logFile}`);
        void shutdown(1);
      }
    });
  }
}

void main();
