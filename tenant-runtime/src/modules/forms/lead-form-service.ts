import { AppError, Forbidden, NotFound, ValidationFailed } from '@solar/common';
import { v7 as uuidv7 } from 'uuid';
import type { z } from 'zod';
import type { RequestContext } from '../../engine/context.js';
import type { DataAccess } from '../../engine/data/data-access.js';
import { UUID } from '../../engine/validation/fields.js';
import { duplicatesOf, mergeLeads } from '../leads/lead-merge.js';
import type { LeadRecord } from '../leads/lead-schema.js';
import { createLead } from '../leads/lead-service.js';
import type { FillTokenSigner } from './fill-token.js';
import { hashFormKey, looksLikeFormKey, newFormKey } from './form-key.js';
import {
  createLeadFormInputSchema,
  HONEYPOT_FIELD,
  STARTED_FIELD,
  submissionSchema,
  updateLeadFormInputSchema,
  type LeadForm,
  type PublicFormDescription,
} from './lead-form-schema.js';
import { leadFormRepository } from './lead-form-repository.js';

/** The fill-time check refused the submission: posted faster than a person could, or with a bad token. */
export class FormTooFast extends AppError {
  readonly status = 422;
  readonly code = 'FORM_TOO_FAST';
}

/** The form took its daily number of submissions; more are refused until the UTC day ends. */
export class FormDailyCapReached extends AppError {
  readonly status = 429;
  readonly code = 'FORM_DAILY_CAP';
  constructor(readonly retryAfterSeconds: number) {
    super('This form takes no more submissions today');
  }
}

function parse<S extends z.ZodType>(schema: S, raw: unknown, prefix: string[]): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw ValidationFailed.fromZod(parsed.error, prefix);
  return parsed.data;
}

/** Lead forms are workspace configuration: administrators (access:manage:all) see and change them. */
function requireAdmin(rc: RequestContext) {
  if (!rc.actor.scope('access', 'manage').all || !rc.actor.memberId)
    throw new Forbidden('Only administrators may manage lead forms');
  return rc.actor.memberId;
}

async function checkOwner(data: DataAccess, ownerId: string | null | undefined) {
  if (ownerId && !(await data.unscoped('members').where({ id: ownerId, status: 'active' }).first('id')))
    throw new ValidationFailed({ 'input.ownerId': ['No such active member'] });
}

export async function listLeadForms(rc: RequestContext): Promise<LeadForm[]> {
  requireAdmin(rc);
  return leadFormRepository(rc.data).list();
}

/** A new form and its key. The key is shown this once; only its hash is kept (rotate to get a new one). */
export async function createLeadForm(
  rc: RequestContext,
  raw: unknown,
): Promise<{ form: LeadForm; formKey: string }> {
  const me = requireAdmin(rc);
  const input = parse(createLeadFormInputSchema, raw, ['input']);
  await checkOwner(rc.data, input.ownerId);
  const id = uuidv7();
  const key = newFormKey();
  await leadFormRepository(rc.data).insert(id, input, key, me);
  rc.log.info({ formId: id, keyPrefix: key.prefix }, 'lead form created');
  return { form: (await leadFormRepository(rc.data).findById(id))!, formKey: key.key };
}

async function existing(rc: RequestContext, id: string): Promise<LeadForm> {
  const form = UUID.test(id) ? await leadFormRepository(rc.data).findById(id) : null;
  if (!form) throw new NotFound('No such lead form');
  return form;
}

export async function updateLeadForm(rc: RequestContext, id: string, raw: unknown): Promise<LeadForm> {
  requireAdmin(rc);
  const input = parse(updateLeadFormInputSchema, raw, ['input']);
  const form = await existing(rc, id);
  const fields = input.fields ?? form.fields;
  const required = input.requiredFields ?? form.requiredFields;
  if (!required.every((f) => fields.includes(f)))
    throw new ValidationFailed({
      'input.requiredFields': ['Every required field must be one of the form’s fields'],
    });
  await checkOwner(rc.data, input.ownerId);
  await leadFormRepository(rc.data).update(id, input);
  return (await leadFormRepository(rc.data).findById(id))!;
}

/** Replaces the form's key: the old one stops working at once (a leaked or abused key). */
export async function rotateLeadFormKey(
  rc: RequestContext,
  id: string,
): Promise<{ form: LeadForm; formKey: string }> {
  requireAdmin(rc);
  await existing(rc, id);
  const key = newFormKey();
  await leadFormRepository(rc.data).update(id, { key });
  rc.log.info({ formId: id, keyPrefix: key.prefix }, 'lead form key rotated');
  return { form: (await leadFormRepository(rc.data).findById(id))!, formKey: key.key };
}

/** The enabled form a public key names, else null (unknown, disabled and malformed keys look the same). */
export async function enabledFormByKey(data: DataAccess, key: string): Promise<LeadForm | null> {
  if (!looksLikeFormKey(key)) return null;
  const form = await leadFormRepository(data).findByKeyHash(hashFormKey(key));
  return form?.enabled ? form : null;
}

/** What the embed script needs to render and post the form, with a freshly signed start time. */
export function describeForm(form: LeadForm, signer: FillTokenSigner): PublicFormDescription {
  return {
    name: form.name,
    fields: [
      { name: 'firstName', required: true },
      { name: 'lastName', required: true },
      ...form.fields.map((name) => ({ name, required: form.requiredFields.includes(name) })),
    ],
    honeypotField: HONEYPOT_FIELD,
    startedToken: signer.issue(form.id),
    minFillSeconds: form.minFillSeconds,
    allowedOrigins: form.allowedOrigins,
  };
}

export type SubmissionOutcome = 'created' | 'merged' | 'ignored';

const NUMERIC = new Set(['monthlyBill']);
/** Merge a submission into an existing lead only this sure (a shared email alone is 0.9, a phone 0.8). */
const SAME_PERSON = 0.8;

/**
 * One web-form submission, acted on for the form's creator (`rc`): bots are ignored without telling them
 * (honeypot), refused when faster than a person (signed start time), the form's daily cap holds, the
 * fields are checked against the form, then the lead is captured through the normal lead service (scored,
 * placed by the form's owner or the assignment rules, outbox event) and, when it is the same person as a
 * lead already there, merged into that lead rather than kept twice.
 */
export async function submitForm(
  rc: RequestContext,
  form: LeadForm,
  body: Record<string, unknown>,
  signer: FillTokenSigner,
  now = new Date(),
): Promise<SubmissionOutcome> {
  const honeypot = body[HONEYPOT_FIELD];
  if (typeof honeypot === 'string' ? honeypot.trim() !== '' : honeypot != null) {
    rc.log.info({ formId: form.id }, 'form submission ignored: honeypot filled');
    return 'ignored';
  }
  const fill = signer.check(form.id, body[STARTED_FIELD], form.minFillSeconds, now.getTime());
  if (!fill.ok)
    throw new FormTooFast(
      fill.reason === 'too_fast'
        ? 'The form was sent too quickly after it was opened; please try again'
        : 'The form has expired or was not loaded properly; reload the page and try again',
    );
  const fields = parse(submissionSchema(form), body, []);

  const day = now.toISOString().slice(0, 10);
  const count = await leadFormRepository(rc.data).countSubmission(form.id, day);
  if (count > form.dailyCap) {
    const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
    throw new FormDailyCapReached(Math.max(1, Math.ceil((midnight - now.getTime()) / 1000)));
  }

  const input: Record<string, unknown> = { source: form.defaultSource, ownerId: form.ownerId };
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    input[name] = NUMERIC.has(name) ? Number(String(value).replace(/[$,\s]/g, '')) : value;
  }
  const lead = (await createLead(rc, input).catch((e: unknown) => {
    // the lead service names fields under `input`; the form's visitor knows them by their own names
    if (!(e instanceof ValidationFailed)) throw e;
    throw new ValidationFailed(
      Object.fromEntries(Object.entries(e.fields).map(([k, v]) => [k.replace(/^input\./, ''), v])),
    );
  })) as LeadRecord;
  const [best] = (await duplicatesOf(rc, lead)).filter(
    (d) => d.lead.id !== lead.id && d.confidence >= SAME_PERSON,
  );
  if (!best) return 'created';
  // the lead already there stays: it has the history; the new submission's values fill its gaps
  await mergeLeads(rc, { primaryId: best.lead.id, duplicateIds: [lead.id] });
  rc.log.info({ formId: form.id, leadId: best.lead.id }, 'form submission merged into an existing lead');
  return 'merged';
}
