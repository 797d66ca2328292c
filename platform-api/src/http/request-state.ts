import type { Logger } from '@solar/common';
import type { RegistryTenant } from '../tenancy/tenant-registry.js';
import type { ApiKeyPrincipal } from '../api-keys/api-key-store.js';
import type { SessionPrincipal } from '../sessions/session-store.js';

/**
 * Everything a request learns on its way through the middleware, in one typed object (ctx.state).
 * Each field is filled by exactly one middleware, named beside it.
 */
export interface RequestState {
  /** request-id middleware */
  requestId: string;
  /** request-log middleware: child logger bound to requestId (and tenant once known) */
  log: Logger;
  /** server-span middleware */
  traceId?: string;
  /** body-limit middleware: the request body, read in full but never beyond MAX_BODY_BYTES */
  rawBody?: Buffer;
  /** body-limit middleware: a route with its own, larger limit reads its body itself (requestBody) */
  deferredBodyMaxBytes?: number | undefined;
  /** tenant-resolution middleware; absent when the request named no tenant */
  tenant?: RegistryTenant;
  /** authentication middleware; absent when no valid session was presented for this tenant */
  principal?: SessionPrincipal;
  /** authentication middleware: an API key of this tenant (accepted on /graphql only) */
  apiKey?: ApiKeyPrincipal;
  /** authentication middleware: how the caller authenticated */
  authVia?: 'cookie' | 'bearer' | 'api_key';
}
