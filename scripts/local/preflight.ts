import { createConnection } from 'mysql2/promise';
import { createClient } from 'redis';
import { connectionFromUrl } from '@solar/common';

/**
 * Checks that MySQL/MariaDB and Redis answer before anything starts, so a newcomer gets one clear sentence
 * naming what is missing instead of a stack trace from deep inside a pool.
 */
export async function preflight(databaseUrl: string, redisUrl: string): Promise<string[]> {
  const problems: string[] = [];
  const db = connectionFromUrl(databaseUrl);
  try {
    const conn = await createConnection({
      host: db.host,
      port: db.port,
      user: db.user,
      password: db.password,
      connectTimeout: 3000,
    });
    await conn.query('SELECT 1');
    await conn.end();
  } catch (err) {
    problems.push(
      `MySQL/MariaDB is not reachable at ${db.host}:${db.port} as ${db.user} (${(err as Error).message}). ` +
        `Start it (e.g. 'sudo service mariadb start') or set DATABASE_URL.`,
    );
  }
  const redis = createClient({ url: redisUrl, socket: { connectTimeout: 3000, reconnectStrategy: false } });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    const u = new URL(redisUrl);
    problems.push(
      `Redis is not reachable at ${u.hostname}:${u.port || 6379} (${(err as Error).message}). ` +
        `Start it (e.g. 'redis-server --daemonize yes') or set REDIS_URL.`,
    );
  } finally {
    await redis.quit().catch(() => {});
  }
  return problems;
}
