import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSalesOrg, U, type SalesOrg, type Who } from '../../modules/customers/sales-org.fixture.js';

let org: SalesOrg;
const tokens = {} as Record<Who, string>;

interface Reply {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever the API answered
  body: any;
}

async function api(
  who: Who | null,
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const res = await fetch(`${org.rt.url}/api/v1${path}`, {
    method,
    headers: {
      ...(who ? { authorization: `Bearer ${tokens[who]}` } : {}),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...options.headers,
    },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

const lead = (firstName: string, extra: Record<string, unknown> = {}) => ({
  firstName,
  lastName: 'Sun',
  email: `${firstName.toLowerCase()}@example.com`,
  source: 'web_form',
  ...extra,
});

beforeAll(async () => {
  org = await startSalesOrg();
  for (const who of Object.keys(U) as Who[]) tokens[who] = await org.rt.tokenFor(org.tenant, { sub: U[who] });
});
afterAll(async () => {
  await org?.close();
});

describe('REST /api/v1/leads', () => {
  it('creates, reads, lists, changes and deletes a lead', async () => {
    const created = await api('rep1', 'POST', '/leads', { body: lead('Ada', { monthlyBill: 180 }) });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      firstName: 'Ada',
      status: 'new',
      ownerId: U.rep1,
      monthlyBill: 180,
    });
    expect(created.headers.get('etag')).toMatch(/^W\/"/);
    const id = created.body.id as string;

    const got = await api('rep1', 'GET', `/leads/${id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(created.body);

    const patched = await api('rep1', 'PATCH', `/leads/${id}`, {
      body: { status: 'contacted', city: 'Mesa' },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ id, status: 'contacted', city: 'Mesa' });

    const contacted = await api('rep1', 'GET', '/leads?status=contacted&search=Ada');
    expect(contacted.body.data.map((l: { id: string }) => l.id)).toEqual([id]);
    const fresh = await api('rep1', 'GET', '/leads?status=new,qualified&search=Ada');
    expect(fresh.body.data).toEqual([]);

    // reps may not delete leads; the service's permission check answers for REST too
    expect((await api('rep1', 'DELETE', `/leads/${id}`)).status).toBe(403);
    expect((await api('admin', 'DELETE', `/leads/${id}`)).status).toBe(204);
    expect((await api('rep1', 'GET', `/leads/${id}`)).status).toBe(404);
  });

  it('pages with an opaque cursor until there is no next page', async () => {
    for (const name of ['Pagea', 'Pageb', 'Pagec'])
      expect((await api('rep2', 'POST', '/leads', { body: lead(name) })).status).toBe(201);
    const first = await api('rep2', 'GET', '/leads?limit=2&search=Page');
    expect(first.status).toBe(200);
    expect(first.body.totalCount).toBe(3);
    expect(first.body.data.map((l: { firstName: string }) => l.firstName)).toEqual(['Pagec', 'Pageb']);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await api('rep2', 'GET', `/leads?limit=2&search=Page&after=${first.body.nextCursor}`);
    expect(second.body.data.map((l: { firstName: string }) => l.firstName)).toEqual(['Pagea']);
    expect(second.body.nextCursor).toBeNull();
  });

  it('answers 400 with field errors for bad bodies, queries and JSON', async () => {
    const bad = await api('rep1', 'POST', '/leads', {
      body: { firstName: '', lastName: 'X', email: 'nope' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(bad.body.error.fields)).toEqual(
      expect.arrayContaining(['firstName', 'email', 'source']),
    );
    const query = await api('rep1', 'GET', '/leads?limit=0&status=lost');
    expect(query.status).toBe(400);
    expect(Object.keys(query.body.error.fields)).toEqual(expect.arrayContaining(['limit', 'status.0']));
    const res = await fetch(`${org.rt.url}/api/v1/leads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.rep1}`, 'content-type': 'application/json' },
      body: '{"firstName":',
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error.fields).toEqual({ body: ['Not valid JSON'] });
  });

  it("hides another team's lead: 404 on get, patch and delete, absent from lists", async () => {
    const mine = (await api('rep1', 'POST', '/leads', { body: lead('Hidden') })).body;
    expect((await api('rep3', 'GET', `/leads/${mine.id}`)).status).toBe(404);
    expect((await api('rep3', 'PATCH', `/leads/${mine.id}`, { body: { city: 'Tucson' } })).status).toBe(404);
    expect((await api('rep3', 'DELETE', `/leads/${mine.id}`)).status).toBe(404);
    expect((await api('rep3', 'GET', '/leads?search=Hidden')).body.data).toEqual([]);
    // still there, unchanged, for its owner
    expect((await api('rep1', 'GET', `/leads/${mine.id}`)).body.city).toBeNull();
  });

  it('answers 401 without a token', async () => {
    expect((await api(null, 'GET', '/leads')).status).toBe(401);
  });
});

describe('ETags', () => {
  it('answers 304 to If-None-Match while unchanged, 200 with a new tag once changed', async () => {
    const { id } = (await api('rep1', 'POST', '/leads', { body: lead('Etag') })).body;
    const got = await api('rep1', 'GET', `/leads/${id}`);
    const etag = got.headers.get('etag')!;
    const again = await api('rep1', 'GET', `/leads/${id}`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    await api('rep1', 'PATCH', `/leads/${id}`, { body: { notes: 'called' } });
    const changed = await api('rep1', 'GET', `/leads/${id}`, { headers: { 'if-none-match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
  });

  it('refuses PATCH and DELETE with a stale If-Match (412) and applies them with the current one', async () => {
    const { id } = (await api('rep1', 'POST', '/leads', { body: lead('Match') })).body;
    const stale = (await api('rep1', 'GET', `/leads/${id}`)).headers.get('etag')!;
    const first = await api('rep1', 'PATCH', `/leads/${id}`, {
      body: { city: 'Tempe' },
      headers: { 'if-match': stale },
    });
    expect(first.status).toBe(200);
    const lost = await api('rep1', 'PATCH', `/leads/${id}`, {
      body: { city: 'Chandler' },
      headers: { 'if-match': stale },
    });
    expect(lost.status).toBe(412);
    expect(lost.body.error.code).toBe('PRECONDITION_FAILED');
    expect((await api('admin', 'DELETE', `/leads/${id}`, { headers: { 'if-match': stale } })).status).toBe(
      412,
    );
    expect((await api('rep1', 'GET', `/leads/${id}`)).body.city).toBe('Tempe');
    const current = first.headers.get('etag')!;
    expect((await api('admin', 'DELETE', `/leads/${id}`, { headers: { 'if-match': current } })).status).toBe(
      204,
    );
  });
});

describe('Idempotency-Key on POST', () => {
  it('returns the first answer to a retry and creates one lead', async () => {
    const key = { 'idempotency-key': 'retry-1' };
    const first = await api('rep1', 'POST', '/leads', { body: lead('Once'), headers: key });
    const retry = await api('rep1', 'POST', '/leads', { body: lead('Once'), headers: key });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect((await api('rep1', 'GET', '/leads?search=Once')).body.totalCount).toBe(1);
  });

  it('answers 422 to the same key with a different body, and keys are per member', async () => {
    const key = { 'idempotency-key': 'retry-2' };
    expect((await api('rep1', 'POST', '/leads', { body: lead('Twice'), headers: key })).status).toBe(201);
    const other = await api('rep1', 'POST', '/leads', { body: lead('Thrice'), headers: key });
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    // another member's key of the same name is their own
    expect((await api('rep2', 'POST', '/leads', { body: lead('Thrice'), headers: key })).status).toBe(201);
    expect((await api('rep1', 'GET', '/leads?search=Thrice')).body.totalCount).toBe(0);
  });

  it('lets a retry run again when the first attempt failed validation', async () => {
    const key = { 'idempotency-key': 'retry-3' };
    expect((await api('rep1', 'POST', '/leads', { body: { firstName: 'X' }, headers: key })).status).toBe(
      400,
    );
    const fixed = await api('rep1', 'POST', '/leads', { body: lead('Fixed'), headers: key });
    expect(fixed.status).toBe(201);
  });
});

describe('REST /api/v1/accounts', () => {
  it('creates, reads, lists and changes accounts within row scope', async () => {
    const created = await api('rep1', 'POST', '/accounts', {
      body: { kind: 'residential', name: 'Rest Home', contacts: [{ firstName: 'Ro', lastName: 'Home' }] },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ kind: 'residential', name: 'Rest Home', ownerId: U.rep1 });
    const id = created.body.id as string;
    expect((await api('rep1', 'GET', `/accounts/${id}`)).body).toEqual(created.body);
    const etag = created.headers.get('etag')!;
    const renamed = await api('rep1', 'PATCH', `/accounts/${id}`, {
      body: { name: 'Rest House' },
      headers: { 'if-match': etag },
    });
    expect(renamed.body.name).toBe('Rest House');
    expect(
      (await api('rep1', 'PATCH', `/accounts/${id}`, { body: { name: 'X' }, headers: { 'if-match': etag } }))
        .status,
    ).toBe(412);
    const listed = await api('rep1', 'GET', '/accounts?search=Rest&kind=residential');
    expect(listed.body.data.map((a: { id: string }) => a.id)).toEqual([id]);
    expect((await api('rep3', 'GET', `/accounts/${id}`)).status).toBe(404);
    expect((await api('rep3', 'GET', '/accounts?search=Rest')).body.data).toEqual([]);
    expect(
      (await api('rep1', 'POST', '/accounts', { body: { kind: 'shed' } })).body.error.fields,
    ).toHaveProperty('name');
  });

  it('answers 405 for a method the resource does not offer', async () => {
    const res = await api('rep1', 'DELETE', '/accounts/0190a000-0000-7000-8000-000000000999');
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, PATCH');
  });
});

describe('/api/v1/openapi.json', () => {
  it('is an OpenAPI 3.1 document whose every schema reference resolves', async () => {
    const { status, body: doc } = await api('analyst', 'GET', '/openapi.json');
    expect(status).toBe(200);
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/accounts',
      '/accounts/{id}',
      '/activities',
      '/activities/{id}',
      '/activities/{id}/complete',
      '/contacts',
      '/contacts/{id}',
      '/leads',
      '/leads/{id}',
      '/opportunities',
      '/opportunities/{id}',
      '/opportunities/{id}/proposals',
      '/opportunities/{id}/stage',
      '/pipeline-stages',
      '/proposals/{id}',
      '/proposals/{id}/status',
      '/proposals/{id}/versions',
      '/sites',
      '/sites/{id}',
    ]);
    // every operation: a unique operationId, a success answer with a schema (or 204), its path parameters
    const ids = new Set<string>();
    interface Operation {
      operationId: string;
      responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }>;
      parameters: Array<{ in: string; name: string }>;
      requestBody?: unknown;
    }
    for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, Operation>>))
      for (const [method, op] of Object.entries(ops)) {
        const where = `${method.toUpperCase()} ${path}`;
        expect(op.operationId, where).toMatch(/^[a-z][A-Za-z]+$/);
        expect(ids.has(op.operationId), `${where}: duplicate operationId`).toBe(false);
        ids.add(op.operationId);
        const success = Object.keys(op.responses).filter((s) => /^2/.test(s));
        expect(success, where).toHaveLength(1);
        if (success[0] !== '204')
          expect(op.responses[success[0]!]!.content!['application/json']!.schema.$ref, where).toMatch(
            /^#\/components\/schemas\//,
          );
        expect(op.responses['400'], where).toBeDefined();
        const declared = op.parameters.filter((p) => p.in === 'path').map((p) => p.name);
        expect(declared, where).toEqual([...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]));
        if (method === 'post' || method === 'patch') expect(op.requestBody, where).toBeDefined();
      }
    expect(Object.keys(doc.paths['/leads/{id}']).sort()).toEqual(['delete', 'get', 'patch']);
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of refs) {
      expect(ref.startsWith('#/')).toBe(true);
      const target = ref
        .slice(2)
        .split('/')
        .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], doc);
      expect(target, ref).toBeTypeOf('object');
    }
    const lead = doc.components.schemas.Lead;
    expect(lead.properties.status.enum).toContain('qualified');
    expect(doc.components.schemas.CreateLeadBody.required).toEqual(
      expect.arrayContaining(['firstName', 'lastName', 'source']),
    );
    const list = doc.paths['/leads'].get;
    expect(list.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['limit', 'after', 'status', 'search', 'If-None-Match']),
    );
    expect(doc.paths['/leads'].post.responses['422'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/Error',
    );
  });
});
