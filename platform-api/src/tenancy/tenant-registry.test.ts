import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatformDb, type TestPlatformDb } from '../testing/platform-db.js';
import { createTenantRegistry } from './tenant-registry.js';

let platform: TestPlatformDb;
beforeAll(async () => {
  platform = await createTestPlatformDb();
  await platform
    .db('tenants')
    .insert({ id: 'aaaaaaaaaaaa', slug: 'acme', display_name: 'Acme', phase: 'Ready' });
});
afterAll(() => platform?.drop());

describe('tenant registry', () => {
  it('reuses a lookup within the TTL and sees changes after it', async () => {
    const registry = createTenantRegistry(platform.db, { ttlMs: 200 });
    expect(await registry.bySlug('acme')).toMatchObject({ phase: 'Ready', suspended: false });
    await platform.db('tenants').where({ slug: 'acme' }).update({ phase: 'Suspended' });
    expect((await registry.bySlug('acme'))?.phase).toBe('Ready');
    await new Promise((r) => setTimeout(r, 250));
    expect(await registry.bySlug('acme')).toMatchObject({ phase: 'Suspended', suspended: true });
  });

  it('never queries for something that cannot be a slug', async () => {
    const registry = createTenantRegistry(platform.db);
    expect(await registry.bySlug("acme' OR '1'='1")).toBeNull();
    expect(await registry.bySlug('Acme')).toBeNull();
  });
});
