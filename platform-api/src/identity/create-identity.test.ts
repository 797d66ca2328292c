import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationFailed } from '@solar/common';
import { createTestPlatformDb, type TestPlatformDb } from '../testing/platform-db.js';
import { createIdentity } from './create-identity.js';
import { verifyPassword } from './password-hash.js';

let platform: TestPlatformDb;
beforeAll(async () => {
  platform = await createTestPlatformDb();
  await platform.db('tenants').insert([
    { id: 'aaaaaaaaaaaa', slug: 'acme', display_name: 'Acme', phase: 'Ready' },
    { id: 'bbbbbbbbbbbb', slug: 'bolt', display_name: 'Bolt', phase: 'Ready' },
  ]);
});
afterAll(() => platform?.drop());

describe('createIdentity', () => {
  it('stores a lower-cased email and an argon2id hash, never the password', async () => {
    const ana = await createIdentity(platform.db, {
      tenantId: 'aaaaaaaaaaaa',
      email: ' Ana@Acme.TEST ',
      displayName: 'Ana',
      password: 'correct horse battery',
    });
    expect(ana).toMatchObject({ email: 'ana@acme.test', displayName: 'Ana', status: 'active' });
    const row = await platform.db('identities').where({ id: ana.id }).first();
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(row.password_hash).not.toContain('correct horse');
    expect(await verifyPassword(row.password_hash, 'correct horse battery')).toBe(true);
  });

  it('is idempotent by tenant + email: the existing identity comes back unchanged', async () => {
    const first = await createIdentity(platform.db, {
      tenantId: 'aaaaaaaaaaaa',
      email: 'ben@acme.test',
      displayName: 'Ben',
      password: 'first password',
    });
    const again = await createIdentity(platform.db, {
      tenantId: 'aaaaaaaaaaaa',
      email: 'BEN@acme.test',
      displayName: 'Benjamin',
      password: 'second password',
    });
    expect(again).toEqual(first);
    const row = await platform.db('identities').where({ id: first.id }).first();
    expect(await verifyPassword(row.password_hash, 'first password')).toBe(true);
    const other = await createIdentity(platform.db, {
      tenantId: 'bbbbbbbbbbbb',
      email: 'ben@acme.test',
      displayName: 'Ben',
      password: 'first password',
    });
    expect(other.id).not.toBe(first.id);
  });

  it('refuses bad input with field errors', async () => {
    const attempt = createIdentity(platform.db, {
      tenantId: 'aaaaaaaaaaaa',
      email: 'x',
      displayName: '',
      password: 'short',
    });
    await expect(attempt).rejects.toBeInstanceOf(ValidationFailed);
    await expect(attempt).rejects.toMatchObject({
      fields: { email: expect.any(Array), displayName: expect.any(Array), password: expect.any(Array) },
    });
  });
});
