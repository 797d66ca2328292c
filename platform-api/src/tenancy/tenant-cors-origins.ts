import { Conflict, NotFound, ValidationFailed, type Knex } from '@solar/common';
import { z } from 'zod';

/** A tenant's browser origins allowed to call its API (read by http/cors.ts through the registry). */
export const MAX_CORS_ORIGINS = 20;

/**
 * `https://host[:port]` — plain http only for localhost (development); no path, query, wildcard or
 * credentials. Stored lower-case, exactly as browsers send Origin.
 */
const originSchema = z
  .string()
  .trim()
  .max(300)
  .transform((value, zctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      zctx.addIssue({ code: 'custom', message: 'must be an origin such as https://app.example.com' });
      return z.NEVER;
    }
    const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1';
    const problems: string[] = [];
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) problems.push('must use https');
    if (url.username || url.password) problems.push('must not contain credentials');
    if (url.pathname !== '/' || url.search || url.hash)
      problems.push('must be an origin only, without a path, query or fragment');
    if (url.hostname.includes('*')) problems.push('must name one host (no wildcards)');
    for (const message of problems) zctx.addIssue({ code: 'custom', message });
    return problems.length ? z.NEVER : url.origin.toLowerCase();
  });

export async function listCorsOrigins(db: Knex, tenantId: string): Promise<string[]> {
  const rows = (await db('tenant_cors_origins')
    .select('origin')
    .where({ tenant_id: tenantId })
    .orderBy('origin')) as Array<{ origin: string }>;
  return rows.map((r) => r.origin);
}

export async function addCorsOrigin(db: Knex, tenantId: string, input: string): Promise<string> {
  const parsed = originSchema.safeParse(input);
  if (!parsed.success) throw ValidationFailed.fromZod(parsed.error, ['origin']);
  const origin = parsed.data;
  const [{ count }] = (await db('tenant_cors_origins')
    .where({ tenant_id: tenantId })
    .count({ count: '*' })) as [{ count: number | string }];
  if (Number(count) >= MAX_CORS_ORIGINS)
    throw new ValidationFailed({ origin: [`at most ${MAX_CORS_ORIGINS} origins; remove one first`] });
  try {
    await db('tenant_cors_origins').insert({ tenant_id: tenantId, origin });
  } catch (err) {
    if ((err as { code?: string }).code === 'ER_DUP_ENTRY')
      throw new Conflict(`${origin} is already allowed`);
    throw err;
  }
  return origin;
}

export async function removeCorsOrigin(db: Knex, tenantId: string, input: string): Promise<void> {
  const origin = input.trim().replace(/\/$/, '').toLowerCase();
  const removed = await db('tenant_cors_origins').where({ tenant_id: tenantId, origin }).delete();
  if (!removed) throw new NotFound(`${origin} is not an allowed origin of this workspace`);
}
