import type { z } from 'zod';
import type { RequestContext } from '../context.js';

export type RestMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** What a handler receives: path parameters, the validated query, and the raw (already validated) body. */
export interface RestInput<Q> {
  params: Record<string, string>;
  query: Q;
  /** the JSON body as sent; the route's `body` schema accepted it, the service validates it again */
  body: unknown;
}

/**
 * One REST operation under /api/v1. Schemas are zod: they validate the request (→ 400 with field errors)
 * and are the source of the OpenAPI document, so the two cannot drift apart.
 */
export interface RestRoute<Q = unknown> {
  method: RestMethod;
  /** OpenAPI style, relative to /api/v1: `/leads/{id}` */
  path: string;
  operationId: string;
  tag: string;
  summary: string;
  query?: z.ZodType<Q>;
  body?: z.ZodType;
  /** the success body's schema, named in components/schemas as `responseName` */
  response?: z.ZodType;
  responseName?: string;
  /** 200 unless given (201 for creates, 204 for deletes) */
  status?: 200 | 201 | 204;
  /**
   * The resource as GET shows it (null when absent or hidden): PATCH/DELETE compare its ETag with
   * If-Match before changing anything.
   */
  current?: (rc: RequestContext, params: Record<string, string>) => Promise<unknown>;
  handle(rc: RequestContext, input: RestInput<Q>): Promise<unknown>;
}

/** A route with its query type inferred from the schema, widened to sit in one list with the others. */
export function defineRoute<Q>(route: RestRoute<Q>): RestRoute {
  return route as RestRoute;
}
