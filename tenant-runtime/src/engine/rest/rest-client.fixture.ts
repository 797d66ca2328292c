import type { SalesOrg, Who } from '../../modules/customers/sales-org.fixture.js';
import { U } from '../../modules/customers/sales-org.fixture.js';

export interface Reply {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever the API answered
  body: any;
}

export type RestCall = (
  who: Who | null,
  method: string,
  path: string,
  options?: { body?: unknown; headers?: Record<string, string> },
) => Promise<Reply>;

/** A JSON client for /api/v1 of a sales org's runtime, signed in as one of its members per call. */
export async function restClient(org: SalesOrg): Promise<RestCall> {
  const tokens = {} as Record<Who, string>;
  for (const who of Object.keys(U) as Who[]) tokens[who] = await org.rt.tokenFor(org.tenant, { sub: U[who] });
  return async (who, method, path, options = {}) => {
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
  };
}
