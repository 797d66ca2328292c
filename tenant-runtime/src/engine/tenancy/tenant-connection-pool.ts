import type { Connection } from 'mysql2';
import type { Identity, SharedConnections } from './shared-connections.js';

let uid = 0;

/**
 * What one tenant's knex sees as its pool (the tarn interface knex accepts as `connectionPool`): connections
 * borrowed from the shared set, already logged in as this tenant, at most `maxInFlight` at a time so one
 * busy tenant cannot take every shared connection.
 */
export function tenantConnectionPool(shared: SharedConnections, identity: Identity, maxInFlight: number) {
  let inUse = 0;
  const queue: Array<() => void> = [];
  const slot = async () => {
    if (inUse < maxInFlight) {
      inUse++;
      return;
    }
    await new Promise<void>((resolve) => queue.push(resolve)); // the releaser hands its slot over
  };
  const freeSlot = () => {
    const next = queue.shift();
    if (next) next();
    else inUse--;
  };

  return {
    acquire() {
      return {
        promise: (async () => {
          await slot();
          try {
            const conn = (await shared.acquire(identity)) as Connection & { __knexUid?: string };
            conn.__knexUid ??= `__tenantConn${++uid}`;
            return conn;
          } catch (err) {
            freeSlot();
            throw err;
          }
        })(),
      };
    },
    release(conn: Connection) {
      shared.release(conn);
      freeSlot();
      return true;
    },
    // the shared connections outlive any one tenant's knex; nothing of the tenant's own to close
    destroy: async () => {},
    numUsed: () => inUse,
    numFree: () => 0,
    numPendingAcquires: () => queue.length,
  };
}
