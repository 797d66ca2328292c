import { AppError, ValidationFailed } from '@solar/common';
import type { z } from 'zod';
import type { AppContext } from './koa.js';

export class UnsupportedMediaType extends AppError {
  readonly status = 415;
  readonly code = 'UNSUPPORTED_MEDIA_TYPE';
}

/**
 * The request body (already read by bodyLimit) parsed as JSON and validated. Only application/json is
 * accepted, which also keeps cross-site HTML forms from posting here.
 */
export function parseJsonBody<S extends z.ZodType>(ctx: AppContext, schema: S): z.output<S> {
  if (!/^application\/json\s*(;|$)/i.test(ctx.get('Content-Type'))) {
    throw new UnsupportedMediaType('Send the body as application/json');
  }
  let value: unknown;
  try {
    value = JSON.parse(ctx.state.rawBody?.toString('utf8') ?? '');
  } catch {
    throw new ValidationFailed({ _: ['body must be valid JSON'] });
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw ValidationFailed.fromZod(parsed.error);
  return parsed.data;
}
