import { AppError, Forbidden, signInternalToken } from '@solar/common';
import type { CryptoKey } from 'jose';
import { createInternalTokenCache } from '../proxy/internal-token-cache.js';
import { toUpstreamError } from '../proxy/upstream-errors.js';
import type { UpstreamPools } from '../proxy/upstream-pools.js';
import { TenantUnavailable } from '../tenancy/tenant-errors.js';
import type { RegistryTenant } from '../tenancy/tenant-registry.js';

/** Who platform-api speaks for when it asks a runtime something itself (never a client's credential). */
export interface RuntimeCaller {
  /** identity id */
  sub: string;
  /** the session (or invitation) the question is asked on behalf of */
  sid: string;
  /** shown by the runtime for a member it has not seen before */
  email?: string;
  name?: string;
}

/** The runtime answered with GraphQL errors (refused, not found, invalid input). */
export class RuntimeRefused extends AppError {
  readonly status = 502;
  readonly code = 'RUNTIME_REFUSED';
  constructor(
    message: string,
    readonly runtimeCode: string | undefined,
  ) {
    super(message);
  }
}

export type RuntimeGraphql = <T>(
  tenant: Pick<RegistryTenant, 'id' | 'slug' | 'endpoint'>,
  caller: RuntimeCaller,
  query: string,
  variables?: Record<string, unknown>,
) => Promise<T>;

interface GraphqlAnswer {
  data?: unknown;
  errors?: Array<{ message?: string; extensions?: { code?: string } }>;
}

/**
 * platform-api's own GraphQL calls to a tenant's runtime (permissions of a caller, granting an invited
 * member's role): over the same keep-alive pools and with the same internal token the proxy mints, scopes
 * ['*'] because the caller is a member acting for themselves.
 */
export function createRuntimeGraphql(deps: {
  pools: UpstreamPools;
  internalKey: CryptoKey;
  timeoutMs: number;
}): RuntimeGraphql {
  const tokens = createInternalTokenCache(deps.internalKey);
  return async <T>(
    tenant: Pick<RegistryTenant, 'id' | 'slug' | 'endpoint'>,
    caller: RuntimeCaller,
    query: string,
    variables: Record<string, unknown> = {},
  ): Promise<T> => {
    if (!tenant.endpoint) throw new TenantUnavailable();
    const claims = { tid: tenant.id, tslug: tenant.slug, sub: caller.sub, sid: caller.sid, scopes: ['*'] };
    // email/name ride along only when given (a member's first request); the token cache keys on neither
    const token =
      caller.email || caller.name
        ? await signInternalToken(
            {
              ...claims,
              ...(caller.email ? { email: caller.email } : {}),
              ...(caller.name ? { name: caller.name } : {}),
            },
            deps.internalKey,
            60,
          )
        : await tokens.tokenFor(claims);
    const { pool, basePath } = deps.pools.forEndpoint(tenant.endpoint);
    let answer: GraphqlAnswer;
    let status: number;
    try {
      const res = await pool.request({
        method: 'POST',
        path: `${basePath}/graphql`,
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json',
          authorization: `Bearer ${token}`,
        },
        body: JSON.stringify({ query, variables }),
        headersTimeout: deps.timeoutMs,
        bodyTimeout: deps.timeoutMs,
      });
      status = res.statusCode;
      answer = (await res.body.json().catch(() => ({}))) as GraphqlAnswer;
    } catch (err) {
      throw toUpstreamError(err);
    }
    const first = answer.errors?.[0];
    // a disabled member is refused by the runtime before any resolver runs
    if (status === 403) throw new Forbidden(first?.message ?? 'The workspace refused this member');
    if (first)
      throw new RuntimeRefused(first.message ?? 'The workspace refused the request', first.extensions?.code);
    if (status >= 400 || answer.data === undefined || answer.data === null)
      throw toUpstreamError(new Error(`runtime answered ${status}`));
    return answer.data as T;
  };
}
