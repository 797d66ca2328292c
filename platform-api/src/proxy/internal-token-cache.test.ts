import { generateInternalKeys, importInternalKey, verifyInternalToken } from '@solar/common';
import { describe, expect, it } from 'vitest';
import { createInternalTokenCache } from './internal-token-cache.js';

const keys = await generateInternalKeys();
const privateKey = await importInternalKey(keys.privateJwk);
const publicKey = await importInternalKey(keys.publicJwk);
const caller = { tid: 'aaaaaaaaaaaa', tslug: 'acme', sub: 'user-1', sid: 'session-1', scopes: ['*'] };

describe('internal token reuse', () => {
  it('gives one caller the same valid token for ~40 s, then a fresh one with a full minute left', async () => {
    let now = Date.now();
    const cache = createInternalTokenCache(privateKey, () => now);
    const first = await cache.tokenFor(caller);
    now += 39_000;
    expect(await cache.tokenFor(caller)).toBe(first);
    now += 2_000;
    const next = await cache.tokenFor(caller);
    expect(next).not.toBe(first);
    const claims = await verifyInternalToken(next, publicKey);
    expect(claims).toMatchObject(caller);
  });

  it('never hands one caller the token of another session, user, tenant or scope set', async () => {
    const cache = createInternalTokenCache(privateKey);
    const base = await cache.tokenFor(caller);
    const others = [
      { ...caller, sid: 'session-2' },
      { ...caller, sub: 'user-2' },
      { ...caller, tid: 'bbbbbbbbbbbb', tslug: 'bolt' },
      { ...caller, scopes: ['leads:read'] },
    ];
    for (const other of others) {
      const token = await cache.tokenFor(other);
      expect(token).not.toBe(base);
      expect(await verifyInternalToken(token, publicKey)).toMatchObject(other);
    }
  });
});
