import { Forbidden, NotFound, ValidationFailed } from '@solar/common';
import { z } from 'zod';
import type { RequestContext } from '../../engine/context.js';
import type { Row } from '../../engine/data/data-access.js';
import { recordChange } from '../settings/audit-trail.js';
import { catalogueItemSchema, EQUIPMENT_KINDS, type CatalogueItem } from './proposal-schema.js';
import { CATALOGUE_TABLE } from './proposal-tables.js';

/*
 * The workspace's equipment catalogue, kept by its administrators: the modules, inverters, batteries,
 * optimizers and racking they sell, with cost and price. Proposals copy the items they use into their
 * stored inputs, so changing or retiring an item never changes a proposal already made; retired items just
 * stop being offered. Every change is audit-logged with the item before and after.
 */

/** What an administrator types: money in dollars, the kind's own ratings alongside. */
const itemInputSchema = z.object({
  id: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'Lower-case letters, digits, dots, dashes; at most 64')
    .nullish(),
  kind: z.enum(EQUIPMENT_KINDS, 'Must be one of module, inverter, battery, optimizer, racking'),
  manufacturer: z.string(),
  model: z.string(),
  unitCost: z.number('Must be an amount').min(0, 'Must not be negative'),
  unitPrice: z.number('Must be an amount').min(0, 'Must not be negative'),
  itcEligible: z.boolean().nullish(),
  watts: z.number().nullish(),
  inverterType: z.string().nullish(),
  acKw: z.number().nullish(),
  modulesPerUnit: z.number().nullish(),
  kwh: z.number().nullish(),
  powerKw: z.number().nullish(),
});

/** The kind's own ratings, stored as the row's specs (the columns hold what every kind has). */
const SPEC_KEYS = ['watts', 'inverterType', 'acKw', 'modulesPerUnit', 'kwh', 'powerKw'] as const;

/** "Qcells", "Q.TRON 410" → "qcells-q.tron-410": a readable id design lines can name. */
export function catalogueId(manufacturer: string, model: string): string {
  return `${manufacturer}-${model}`
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9.]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
}

function requireManage(rc: RequestContext): void {
  if (!rc.actor.scope('opportunities', 'manage').all)
    throw new Forbidden('Only administrators may change the equipment catalogue');
}

const toRow = (item: CatalogueItem) => {
  const specs = Object.fromEntries(
    SPEC_KEYS.filter((k) => k in item && (item as Record<string, unknown>)[k] !== undefined).map((k) => [
      k,
      (item as Record<string, unknown>)[k],
    ]),
  );
  return {
    id: item.id,
    kind: item.kind,
    manufacturer: item.manufacturer,
    model: item.model,
    unit_cost_cents: item.unitCostCents,
    unit_price_cents: item.unitPriceCents,
    itc_eligible: item.itcEligible,
    specs: JSON.stringify(specs),
  };
};

/** Adds an item, or changes the one with the given id (its kind stays what it was). */
export async function saveEquipmentItem(rc: RequestContext, raw: unknown): Promise<string> {
  requireManage(rc);
  const parsed = itemInputSchema.safeParse(raw);
  if (!parsed.success) throw ValidationFailed.fromZod(parsed.error, ['input']);
  const input = parsed.data;
  const id = input.id ?? catalogueId(input.manufacturer, input.model);
  const candidate: Record<string, unknown> = {
    id,
    kind: input.kind,
    manufacturer: input.manufacturer,
    model: input.model,
    unitCostCents: Math.round(input.unitCost * 100),
    unitPriceCents: Math.round(input.unitPrice * 100),
    ...(input.itcEligible != null ? { itcEligible: input.itcEligible } : {}),
  };
  for (const k of SPEC_KEYS) if (input[k] != null) candidate[k] = input[k];
  const item = catalogueItemSchema.safeParse(candidate);
  if (!item.success) {
    // the engine's field names for money are the input's in dollars
    const fields = ValidationFailed.fromZod(item.error, ['input']).fields;
    throw new ValidationFailed(
      Object.fromEntries(Object.entries(fields).map(([k, v]) => [k.replace(/Cents$/, ''), v])) as Record<
        string,
        string[]
      >,
    );
  }
  await rc.data.transaction(async (data) => {
    const table = () => data.unscoped(CATALOGUE_TABLE);
    const before = (await table().where({ id }).forUpdate().first()) as Row | undefined;
    if (input.id && !before) throw new NotFound('No such catalogue item');
    if (before && before['kind'] !== item.data.kind)
      throw new ValidationFailed({ 'input.kind': ['An item keeps its kind; add a new item instead'] });
    if (!input.id && before)
      throw new ValidationFailed({ 'input.model': ['The catalogue already has this item'] });
    const row = toRow(item.data);
    if (before)
      await table()
        .where({ id })
        .update({ ...row, updated_at: new Date() });
    else await table().insert(row);
    await recordChange(
      data,
      { memberId: rc.actor.memberId, requestId: rc.requestId },
      {
        action: before ? 'catalogue.item_changed' : 'catalogue.item_added',
        entityType: 'equipment',
        entityId: id,
        before: before ? { ...before, specs: JSON.parse(String(before['specs'])) as unknown } : null,
        after: { ...row, specs: JSON.parse(row.specs) as unknown },
      },
    );
  });
  return id;
}

/** Retires an item (no longer offered in new designs) or offers it again. */
export async function setEquipmentItemActive(
  rc: RequestContext,
  id: string,
  active: boolean,
): Promise<string> {
  requireManage(rc);
  await rc.data.transaction(async (data) => {
    const table = () => data.unscoped(CATALOGUE_TABLE);
    const before = (await table().where({ id }).forUpdate().first('active')) as
      { active: number } | undefined;
    if (!before) throw new NotFound('No such catalogue item');
    if (Boolean(before.active) === active) return;
    await table().where({ id }).update({ active, updated_at: new Date() });
    await recordChange(
      data,
      { memberId: rc.actor.memberId, requestId: rc.requestId },
      {
        action: active ? 'catalogue.item_offered' : 'catalogue.item_retired',
        entityType: 'equipment',
        entityId: id,
        before: { active: Boolean(before.active) },
        after: { active },
      },
    );
  });
  return id;
}
