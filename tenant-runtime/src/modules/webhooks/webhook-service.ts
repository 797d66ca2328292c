import { Forbidden, NotFound, ValidationFailed, randomSecret, seal } from '@solar/common';
import { v7 as uuidv7 } from 'uuid';
import type { RequestContext } from '../../engine/context.js';
import { originOf, recordEvent } from '../../engine/outbox/record-event.js';
import { UUID } from '../../engine/validation/fields.js';
import { webhookRepository } from './webhook-repository.js';
import {
  createWebhookSchema,
  updateWebhookSchema,
  type Webhook,
  type WebhookDelivery,
} from './webhook-schema.js';
import { refuseTarget, type TargetPolicy } from './webhook-target.js';

export interface WebhookDeps {
  /** the platform key: webhook secrets are sealed with it at rest */
  secretKey: Buffer;
  policy: TargetPolicy;
}

/** A webhook with its signing secret, which is shown once: on creation and on rotation. */
export interface WebhookWithSecret {
  webhook: Webhook;
  secret: string;
}

/** Associated data binding a sealed secret to its tenant and webhook: a copied row does not unseal. */
export const secretAad = (tenantId: string, webhookId: string) => `webhook:${tenantId}:${webhookId}`;

/** Managing webhooks: `webhooks:manage:all`, or `access:manage:all` (administrators). */
function requireManage(rc: RequestContext): void {
  if (!rc.actor.scope('webhooks', 'manage').all && !rc.actor.scope('access', 'manage').all)
    throw new Forbidden('Only administrators may manage webhooks');
}

const repo = (rc: RequestContext) => webhookRepository((t) => rc.data.unscoped(t));

async function checkUrl(deps: WebhookDeps, url: string): Promise<void> {
  const reason = await refuseTarget(url, deps.policy);
  if (reason) throw new ValidationFailed({ url: [reason] });
}

async function load(rc: RequestContext, id: string): Promise<Webhook> {
  const webhook = UUID.test(id) ? await repo(rc).find(id) : undefined;
  if (!webhook) throw new NotFound('No such webhook');
  return webhook;
}

const newSecret = () => `whsec_${randomSecret(32)}`;

/** GraphQL sends omitted optional input fields as null; the schemas treat both as "not given". */
const withoutNulls = (raw: unknown): unknown =>
  raw && typeof raw === 'object'
    ? Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== null && v !== undefined))
    : raw;

export async function listWebhooks(rc: RequestContext): Promise<Webhook[]> {
  requireManage(rc);
  return repo(rc).list();
}

export async function getWebhook(rc: RequestContext, id: string): Promise<Webhook | null> {
  requireManage(rc);
  return UUID.test(id) ? ((await repo(rc).find(id)) ?? null) : null;
}

/** Registers a webhook acting as the caller; returns its signing secret (shown this once). */
export async function createWebhook(
  rc: RequestContext,
  deps: WebhookDeps,
  raw: unknown,
): Promise<WebhookWithSecret> {
  requireManage(rc);
  const parsed = createWebhookSchema.safeParse(withoutNulls(raw));
  if (!parsed.success) throw ValidationFailed.fromZod(parsed.error);
  const input = parsed.data;
  await checkUrl(deps, input.url);
  if (!rc.actor.memberId) throw new Forbidden('Only members may own webhooks');
  const id = uuidv7();
  const secret = newSecret();
  await rc.data.transaction(async (data) => {
    await data.unscoped('webhooks').insert({
      id,
      url: input.url,
      events: JSON.stringify(input.events),
      description: input.description,
      secret_sealed: seal(secret, deps.secretKey, secretAad(rc.tenant.id, id)),
      status: 'active',
      created_by: rc.actor.memberId,
    });
    await recordEvent(data, originOf(rc), {
      type: 'webhook.created',
      entityType: 'Webhook',
      entityId: id,
      payload: { url: input.url, events: input.events },
    });
  });
  rc.log.info({ webhookId: id }, 'webhook created');
  return { webhook: await load(rc, id), secret };
}

/** Changes url, events or description; `active` pauses or resumes deliveries. */
export async function updateWebhook(
  rc: RequestContext,
  deps: WebhookDeps,
  id: string,
  raw: unknown,
): Promise<Webhook> {
  requireManage(rc);
  const parsed = updateWebhookSchema.safeParse(withoutNulls(raw));
  if (!parsed.success) throw ValidationFailed.fromZod(parsed.error);
  const input = parsed.data;
  await load(rc, id);
  if (input.url !== undefined) await checkUrl(deps, input.url);
  await rc.data.transaction(async (data) => {
    await data
      .unscoped('webhooks')
      .where({ id })
      .update({
        ...(input.url !== undefined ? { url: input.url } : {}),
        ...(input.events !== undefined ? { events: JSON.stringify(input.events) } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.active === true ? { status: 'active', paused_reason: null } : {}),
        ...(input.active === false ? { status: 'paused', paused_reason: 'paused by an administrator' } : {}),
        updated_at: new Date(),
      });
    await recordEvent(data, originOf(rc), {
      type: 'webhook.updated',
      entityType: 'Webhook',
      entityId: id,
      payload: { fields: Object.keys(input) },
    });
  });
  return load(rc, id);
}

/** Removes a webhook and its delivery history; queued deliveries find nothing to do. */
export async function deleteWebhook(rc: RequestContext, id: string): Promise<string> {
  requireManage(rc);
  await load(rc, id);
  await rc.data.transaction(async (data) => {
    await data.unscoped('webhooks').where({ id }).delete();
    await recordEvent(data, originOf(rc), { type: 'webhook.deleted', entityType: 'Webhook', entityId: id });
  });
  return id;
}

/** A new signing secret (shown this once); the old one stops signing at once. */
export async function rotateWebhookSecret(
  rc: RequestContext,
  deps: WebhookDeps,
  id: string,
): Promise<WebhookWithSecret> {
  requireManage(rc);
  await load(rc, id);
  const secret = newSecret();
  await rc.data.transaction(async (data) => {
    await data
      .unscoped('webhooks')
      .where({ id })
      .update({
        secret_sealed: seal(secret, deps.secretKey, secretAad(rc.tenant.id, id)),
        updated_at: new Date(),
      });
    await recordEvent(data, originOf(rc), {
      type: 'webhook.secret_rotated',
      entityType: 'Webhook',
      entityId: id,
    });
  });
  return { webhook: await load(rc, id), secret };
}

export async function recentDeliveries(
  rc: RequestContext,
  webhookId: string,
  first: number,
): Promise<WebhookDelivery[]> {
  requireManage(rc);
  if (!Number.isInteger(first) || first < 1 || first > 100)
    throw new ValidationFailed({ first: ['must be between 1 and 100'] });
  return repo(rc).recentDeliveries(webhookId, first);
}
