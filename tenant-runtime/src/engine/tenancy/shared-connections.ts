import { createConnection, type Connection } from 'mysql2';
import { connectionFromUrl, type Logger } from '@solar/common';

/** Who a physical connection is logged in as: one tenant's DB user on its schema. */
export interface Identity {
  /** fingerprint of user, password and schema; two identities with the same key are interchangeable */
  key: string;
  user: string;
  password: string;
  database: string;
}

/** Server answers that mean "these credentials are not accepted", as opposed to a broken connection. */
const REFUSED = new Set(['ER_ACCESS_DENIED_ERROR', 'ER_DBACCESS_DENIED_ERROR', 'ER_ACCOUNT_HAS_BEEN_LOCKED']);

interface Slot {
  conn: Connection;
  identity: string;
  idleSince: number;
}

interface Waiter {
  identity: Identity;
  resolve(conn: Connection): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

export interface SharedConnections {
  /** A connection logged in as exactly `identity`, waiting up to the acquire timeout if all are busy. */
  acquire(identity: Identity): Promise<Connection>;
  /** Hands a connection back; a broken one is closed instead. */
  release(conn: Connection): void;
  /** The identity a connection handed out by acquire() is logged in as (tests, assertions). */
  identityOf(conn: Connection): string | undefined;
  stats(): { open: number; idle: number; used: number; waiting: number; switches: number; created: number };
  destroy(): Promise<void>;
}

/**
 * A bounded set of physical MySQL connections shared by every tenant of a pooled runtime. Each connection is
 * logged in as one tenant's own DB user at a time; checking it out for another tenant switches identity
 * with COM_CHANGE_USER (a fresh authentication that also resets the session: variables, temporary tables,
 * open transaction). So MySQL still refuses cross-tenant reads, while 1,000 tenants need `max` connections,
 * not one pool each.
 *
 * The guarantee: a connection is handed to identity X only right after it was opened as X or a change-user
 * to X succeeded, and it is recorded as X at that moment. A failed change-user closes the connection — it is
 * never handed out again with an unknown identity. Idle connections already logged in as X are preferred,
 * so a busy tenant pays no switch.
 */
export function createSharedConnections(options: {
  url: string;
  /** physical connections at most */
  max: number;
  /** idle connections close after this long */
  idleTimeoutMs: number;
  acquireTimeoutMs: number;
  logger: Logger;
}): SharedConnections {
  const server = connectionFromUrl(options.url);
  const idle: Slot[] = []; // oldest first
  const used = new Map<Connection, string>();
  const identities = new WeakMap<Connection, string>();
  const waiters: Waiter[] = [];
  let creating = 0;
  let switches = 0;
  let created = 0;
  let destroyed = false;

  const open = () => idle.length + used.size + creating;

  const connect = (identity: Identity) =>
    new Promise<Connection>((resolve, reject) => {
      const conn = createConnection({
        host: server.host,
        port: server.port,
        user: identity.user,
        password: identity.password,
        database: identity.database,
        // the same session settings createDb() gives every knex connection
        timezone: 'Z',
        charset: 'utf8mb4',
        supportBigNumbers: true,
        bigNumberStrings: false,
        dateStrings: false,
      });
      conn.on('error', () => {
        // e.g. killed by the operator revoking a tenant: drop it at once if idle; a busy one is closed at release
        const i = idle.findIndex((s) => s.conn === conn);
        if (i >= 0) close(idle.splice(i, 1)[0]!.conn);
      });
      conn.connect((err) => (err ? reject(err) : resolve(conn)));
    });

  const changeUser = (conn: Connection, identity: Identity) =>
    new Promise<void>((resolve, reject) =>
      conn.changeUser(
        { user: identity.user, password: identity.password, database: identity.database },
        (err) => (err ? reject(err) : resolve()),
      ),
    );

  const close = (conn: Connection) => {
    identities.delete(conn);
    conn.end(() => conn.destroy());
  };

  const healthy = (conn: Connection) => {
    const c = conn as Connection & {
      _fatalError?: unknown;
      _protocolError?: unknown;
      _closing?: boolean;
      stream?: { destroyed: boolean };
    };
    return !c._fatalError && !c._protocolError && !c._closing && !c.stream?.destroyed;
  };

  const handOut = (conn: Connection, identity: Identity): Connection => {
    identities.set(conn, identity.key);
    used.set(conn, identity.key);
    return conn;
  };

  /** Opens a new connection as `identity`; counts as open while connecting. */
  async function openAs(identity: Identity): Promise<Connection> {
    creating++;
    try {
      const conn = await connect(identity);
      created++;
      return handOut(conn, identity);
    } finally {
      creating--;
    }
  }

  /** Switches an idle connection to `identity`; closes it if the switch fails. */
  async function switchTo(conn: Connection, identity: Identity): Promise<Connection> {
    used.set(conn, 'switching');
    identities.delete(conn);
    try {
      await changeUser(conn, identity);
      switches++;
      return handOut(conn, identity);
    } catch (err) {
      used.delete(conn);
      close(conn);
      throw err;
    }
  }

  function takeIdle(identity: Identity): Slot | undefined {
    for (let i = idle.length - 1; i >= 0; i--) {
      if (idle[i]!.identity === identity.key) return idle.splice(i, 1)[0];
    }
    return undefined;
  }

  async function acquire(identity: Identity): Promise<Connection> {
    if (destroyed) throw new Error('the shared tenant connections are closed');
    const same = takeIdle(identity);
    if (same) {
      if (healthy(same.conn)) return handOut(same.conn, identity);
      close(same.conn);
    }
    if (open() < options.max) return openAs(identity);
    const oldest = idle.shift();
    if (oldest) {
      try {
        return await switchTo(oldest.conn, identity);
      } catch (err) {
        // refused credentials are the caller's answer; a dead connection (closed, killed) is not: its slot
        // is free now, so open a fresh one instead
        if (REFUSED.has((err as { code?: string }).code ?? '')) throw err;
        return openAs(identity);
      }
    }
    return new Promise<Connection>((resolve, reject) => {
      const waiter: Waiter = {
        identity,
        resolve,
        reject,
        timer: setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error('Timeout acquiring a tenant connection: all shared connections are busy'));
        }, options.acquireTimeoutMs),
      };
      waiters.push(waiter);
    });
  }

  /** Gives a freed slot (or a freed connection) to the longest waiter, same identity first. */
  function serveWaiter(conn: Connection | null): boolean {
    if (waiters.length === 0) return false;
    const key = conn ? identities.get(conn) : undefined;
    const index = Math.max(
      0,
      waiters.findIndex((w) => w.identity.key === key),
    );
    const [waiter] = waiters.splice(index, 1);
    clearTimeout(waiter!.timer);
    const next =
      conn && key === waiter!.identity.key
        ? Promise.resolve(handOut(conn, waiter!.identity))
        : conn
          ? switchTo(conn, waiter!.identity)
          : openAs(waiter!.identity);
    next.then(waiter!.resolve, (err: Error) => {
      waiter!.reject(err);
      serveWaiter(null); // the slot that failed is free again
    });
    return true;
  }

  function release(conn: Connection): void {
    if (!used.has(conn)) return;
    used.delete(conn);
    if (destroyed || !healthy(conn)) {
      close(conn);
      serveWaiter(null);
      return;
    }
    if (serveWaiter(conn)) return;
    idle.push({ conn, identity: identities.get(conn) ?? '', idleSince: Date.now() });
  }

  const reaper = setInterval(
    () => {
      const cutoff = Date.now() - options.idleTimeoutMs;
      while (idle.length > 0 && idle[0]!.idleSince < cutoff) close(idle.shift()!.conn);
    },
    Math.max(100, Math.min(options.idleTimeoutMs, 1000)),
  );
  reaper.unref();

  return {
    acquire,
    release,
    identityOf: (conn) => identities.get(conn),
    stats: () => ({
      open: open(),
      idle: idle.length,
      used: used.size,
      waiting: waiters.length,
      switches,
      created,
    }),
    async destroy() {
      destroyed = true;
      clearInterval(reaper);
      for (const w of waiters.splice(0)) {
        clearTimeout(w.timer);
        w.reject(new Error('the shared tenant connections are closed'));
      }
      for (const slot of idle.splice(0)) close(slot.conn);
      options.logger.debug({ inUse: used.size }, 'shared tenant connections closed');
    },
  };
}
