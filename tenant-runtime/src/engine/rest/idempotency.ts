import { createHash } from 'node:crypto';
import { Conflict, ValidationFailed } from '@solar/common';
import type { DataAccess } from '../data/data-access.js';
import { IdempotencyKeyReused } from './rest-errors.js';

const TABLE = 'idempotency_keys';
/** A first request that has not finished after this long is taken to have died; its key is free again. */
const ABANDONED_AFTER_MS = 60_000;
const ER_DUP_ENTRY = 1062;

export interface StoredAnswer {
  status: number;
  body: unknown;
}

export type Claim = { kind: 'claimed' } | { kind: 'replay'; answer: StoredAnswer };

/** Keys are opaque client tokens (a UUID is typical); keep them printable and within the column. */
export function checkKey(key: string): string {
  if (!/^[\x21-\x7e]{1,255}$/.test(key))
    throw new ValidationFailed({ 'Idempotency-Key': ['Must be 1 to 255 printable characters'] });
  return key;
}

export const requestHash = (operation: string, body: unknown) =>
  createHash('sha256')
    .update(`${operation}\n${JSON.stringify(body ?? null)}`)
    .digest('hex');

/**
 * Claims `key` for this member before the POST runs, so two concurrent retries cannot both create: the
 * primary key (member, key) lets only one insert win. A finished first request is replayed; one still
 * running answers 409; the same key with a different operation or body answers 422.
 */
export async function claimKey(
  data: DataAccess,
  memberId: string,
  key: string,
  operation: string,
  hash: string,
): Promise<Claim> {
  try {
    await data.unscoped(TABLE).insert({ member_id: memberId, idem_key: key, operation, request_hash: hash });
    return { kind: 'claimed' };
  } catch (err) {
    if ((err as { errno?: number }).errno !== ER_DUP_ENTRY) throw err;
  }
  const row = (await data.unscoped(TABLE).where({ member_id: memberId, idem_key: key }).first()) as
    | {
        operation: string;
        request_hash: string;
        status_code: number | null;
        response: unknown;
        created_at: Date;
      }
    | undefined;
  if (!row) return claimKey(data, memberId, key, operation, hash); // released meanwhile: try again
  if (row.operation !== operation || row.request_hash !== hash)
    throw new IdempotencyKeyReused('This Idempotency-Key was already used for a different request');
  if (row.status_code === null) {
    if (Date.now() - new Date(row.created_at).getTime() < ABANDONED_AFTER_MS)
      throw new Conflict('A request with this Idempotency-Key is still in progress');
    await releaseKey(data, memberId, key);
    return claimKey(data, memberId, key, operation, hash);
  }
  const body = typeof row.response === 'string' ? JSON.parse(row.response) : row.response;
  return { kind: 'replay', answer: { status: row.status_code, body } };
}

/** Keeps the first answer for replays. */
export async function completeKey(data: DataAccess, memberId: string, key: string, answer: StoredAnswer) {
  await data
    .unscoped(TABLE)
    .where({ member_id: memberId, idem_key: key })
    .update({ status_code: answer.status, response: JSON.stringify(answer.body ?? null) });
}

/** The first request failed: nothing was created, so a retry may run again. */
export async function releaseKey(data: DataAccess, memberId: string, key: string) {
  await data.unscoped(TABLE).where({ member_id: memberId, idem_key: key, status_code: null }).delete();
}
