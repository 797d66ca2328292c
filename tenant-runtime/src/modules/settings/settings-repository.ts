import type { DataAccess } from '../../engine/data/data-access.js';

/** One row per setting key in `tenant_settings`; values are JSON the owning module validates. */
export interface StoredSetting {
  value: unknown;
  updatedBy: string | null;
  updatedAt: Date;
}

export function settingsRepository(data: DataAccess) {
  const table = () => data.unscoped('tenant_settings');
  return {
    async read(keys: readonly string[], options: { forUpdate?: boolean } = {}) {
      const qb = table().whereIn('key', keys).select('key', 'value', 'updated_by', 'updated_at');
      if (options.forUpdate) qb.forUpdate();
      const rows = (await qb) as Array<{
        key: string;
        value: unknown;
        updated_by: string | null;
        updated_at: Date;
      }>;
      const out = new Map<string, StoredSetting>();
      for (const r of rows)
        out.set(r.key, {
          // mysql2 returns JSON columns parsed on MySQL, as text on MariaDB (where JSON is LONGTEXT)
          value: typeof r.value === 'string' ? (JSON.parse(r.value) as unknown) : r.value,
          updatedBy: r.updated_by,
          updatedAt: r.updated_at,
        });
      return out;
    },
    async write(key: string, value: unknown, memberId: string | null): Promise<void> {
      await table()
        .insert({ key, value: JSON.stringify(value), updated_by: memberId, updated_at: new Date() })
        .onConflict('key')
        .merge(['value', 'updated_by', 'updated_at']);
    },
    async remove(key: string): Promise<void> {
      await table().where({ key }).delete();
    },
  };
}
