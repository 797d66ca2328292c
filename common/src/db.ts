import knexFactory, { type Knex } from 'knex';
import { SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';

export type { Knex };

export interface DbOptions {
  /** mysql://user:pass@host:port/database — the database part may be overridden by `database`. */
  url: string;
  database?: string | null;
  user?: string;
  password?: string;
  pool?: { min?: number; max?: number; idleTimeoutMillis?: number };
  /** Appears as span attribute db.name and in logs. */
  label?: string;
}

/** Splits a DATABASE_URL into mysql2 connection settings. */
export function connectionFromUrl(url: string): {
  host: string;
  port: number;
  user: string;
  password: string;
  database?: string;
} {
  const u = new URL(url);
  if (u.protocol !== 'mysql:' && u.protocol !== 'mariadb:')
    throw new Error(`DATABASE_URL must be mysql://…, got ${u.protocol}`);
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  return {
    host: u.hostname,
    port: Number(u.port || 3306),
    user: decodeURIComponent(u.username || 'root'),
    password: decodeURIComponent(u.password),
    ...(database ? { database } : {}),
  };
}

/**
 * A knex instance on MySQL/MariaDB whose every query runs inside an OpenTelemetry client span.
 * Timestamps are UTC and DATETIMEs come back as JS Dates.
 */
export function createDb(options: DbOptions): Knex {
  const base = connectionFromUrl(options.url);
  const connection = {
    ...base,
    ...(options.user !== undefined ? { user: options.user } : {}),
    ...(options.password !== undefined ? { password: options.password } : {}),
    ...(options.database !== undefined ? { database: options.database ?? undefined } : {}),
    timezone: 'Z',
    charset: 'utf8mb4',
    supportBigNumbers: true,
    bigNumberStrings: false,
    dateStrings: false,
  };
  const db = knexFactory({
    client: 'mysql2',
    connection,
    pool: { min: 0, max: 10, idleTimeoutMillis: 30_000, ...options.pool },
    acquireConnectionTimeout: 10_000,
  });
  traceQueries(db, options.label ?? connection.database ?? 'mysql');
  return db;
}

const tracer = trace.getTracer('solar-crm/db');

function traceQueries(db: Knex, dbName: string): void {
  const open = new Map<string, Span>();
  db.on('query', (q: { __knexQueryUid: string; sql: string; method?: string }) => {
    const span = tracer.startSpan(`db ${q.method ?? 'query'}`, {
      kind: SpanKind.CLIENT,
      attributes: { 'db.system': 'mysql', 'db.name': dbName, 'db.statement': q.sql },
    });
    open.set(q.__knexQueryUid, span);
  });
  db.on('query-response', (_r: unknown, q: { __knexQueryUid: string }) => {
    open.get(q.__knexQueryUid)?.end();
    open.delete(q.__knexQueryUid);
  });
  db.on('query-error', (err: Error, q: { __knexQueryUid: string }) => {
    const span = open.get(q.__knexQueryUid);
    if (span) {
      span.recordException(err);
      span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
      span.end();
      open.delete(q.__knexQueryUid);
    }
  });
}

/** True when the server answers `SELECT 1` within the timeout. */
export async function isReachable(db: Knex, timeoutMs = 2000): Promise<boolean> {
  try {
    await Promise.race([
      db.raw('SELECT 1'),
      new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), timeoutMs).unref()),
    ]);
    return true;
  } catch {
    return false;
  }
}

/** Quotes a MySQL identifier we generated ourselves (schema or user names); refuses anything unusual. */
export function ident(name: string): string {
  if (!/^[a-z0-9_]{1,64}$/.test(name)) throw new Error(`refusing unsafe identifier ${JSON.stringify(name)}`);
  return `\`${name}\``;
}
