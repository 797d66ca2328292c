import { Forbidden, NotFound, ValidationFailed } from '@solar/common';
import { createDataAccess } from '../../engine/data/data-access.js';
import { NO_SCOPE, type Actor } from '../../engine/data/scope.js';
import { requestContextFrom, type Caller, type RuntimeState } from '../../engine/context.js';
import type { Middleware } from '../../engine/http/koa.js';
import type { AccessResolver } from '../access/access-resolver.js';
import type { FillTokenSigner } from './fill-token.js';
import { describeForm, enabledFormByKey, FormDailyCapReached, submitForm } from './lead-form-service.js';

/** The one scope platform-api gives a web-form submitter (sub `form:<key prefix>`). */
export const FORM_SUBMIT_SCOPE = 'forms:submit';

const FORM_PATH = /^\/forms\/([^/]+)$/;
const SUBMIT_PATH = /^\/forms\/([^/]+)\/submissions$/;

/** Nobody: reads no rows, writes none. Finds the form (workspace configuration) and nothing else. */
const NOBODY: Actor = {
  memberId: null,
  primaryUnitId: null,
  granted: [],
  scope: () => NO_SCOPE,
  assignable: async () => 'no_such_member',
};

/** Either sign makes a caller a form submitter, and so restricted to the intake (never widened by it). */
export const isFormCaller = (caller: Caller | undefined) =>
  caller !== undefined && (caller.scopes.includes(FORM_SUBMIT_SCOPE) || caller.userId.startsWith('form:'));

/**
 * The public web-form intake, for callers platform-api vouches for as form submitters (and only them):
 *   GET  /forms/:key              the form's fields, a signed start time and its allowed origins
 *   POST /forms/:key/submissions  one submission → 201 { received: true }, never the lead's id
 * A form caller is no member and can reach nothing else: every other path answers 403. The submission is
 * carried out for the member who created the form, through the lead services (their row scope applies).
 * Mounted after resolve-tenant and before resolve-access (a form caller must not become a member).
 */
export function formIntake(options: {
  access: AccessResolver;
  signer: FillTokenSigner;
  scopedTables: readonly string[];
}): Middleware<RuntimeState> {
  return async (ctx, next) => {
    const { caller, tenant } = ctx.state;
    if (!isFormCaller(caller)) return next();
    if (!caller || !tenant) throw new Error('form intake needs authenticate and resolve-tenant first');
    const describe = ctx.method === 'GET' ? FORM_PATH.exec(ctx.path) : null;
    const submit = ctx.method === 'POST' ? SUBMIT_PATH.exec(ctx.path) : null;
    if (!describe && !submit) throw new Forbidden('A form submitter may only send its form');

    const key = decodeURIComponent((describe ?? submit)![1]!);
    const lookup = createDataAccess({ db: tenant.db, tenantId: tenant.id, actor: NOBODY, readOnly: true });
    const form = await enabledFormByKey(lookup, key);
    // the form acts for its creator; one who left the workspace takes the form down with them
    const creatorActive =
      form && (await lookup.unscoped('members').where({ id: form.createdBy, status: 'active' }).first('id'));
    if (!form || !creatorActive) throw new NotFound('No such form');
    ctx.set('Cache-Control', 'no-store');

    if (describe) {
      ctx.body = describeForm(form, options.signer);
      return;
    }
    const actor = await options.access.resolve(
      tenant.db,
      tenant.id,
      { ...caller, userId: form.createdBy, scopes: ['*'] },
      { readOnly: tenant.readOnly, requestId: ctx.state.requestId },
    );
    const rc = requestContextFrom(
      { ...ctx.state, caller: { ...caller, userId: form.createdBy }, actor },
      options.scopedTables,
    );
    try {
      await submitForm(rc, form, bodyObject(ctx.state.body), options.signer);
    } catch (err) {
      if (err instanceof FormDailyCapReached) ctx.set('Retry-After', String(err.retryAfterSeconds));
      throw err;
    }
    ctx.status = 201;
    ctx.body = { received: true };
  };
}

/** platform-api forwards every submission as JSON (it turns url-encoded forms into an object first). */
function bodyObject(buffer: Buffer | undefined): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(buffer?.toString('utf8') || '{}');
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // falls through
  }
  throw new ValidationFailed({ body: ['Send the form’s fields as a JSON object'] });
}
