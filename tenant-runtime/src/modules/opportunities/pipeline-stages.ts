import { Conflict, Forbidden, NotFound, ValidationFailed } from '@solar/common';
import { v7 as uuidv7 } from 'uuid';
import type { z } from 'zod';
import type { RequestContext } from '../../engine/context.js';
import type { DataAccess } from '../../engine/data/data-access.js';
import {
  createStageInputSchema,
  reorderStagesInputSchema,
  updateStageInputSchema,
  type PipelineStage,
  type StageKind,
} from './opportunity-schema.js';
import { PIPELINE_STAGES } from './opportunity-tables.js';

/*
 * The tenant's pipeline: open stages in an order admins choose, then the two terminal stages, won and
 * lost, which always stay last and keep their probabilities (100 and 0). Everyone reads the stages;
 * changing them needs `opportunities:manage:all`.
 */

interface StageRow {
  id: string;
  name: string;
  position: number;
  probability: number;
  kind: StageKind;
}
const toStage = (r: StageRow): PipelineStage => ({
  id: r.id,
  name: r.name,
  position: Number(r.position),
  probability: Number(r.probability),
  kind: r.kind,
});

export async function loadStages(data: DataAccess): Promise<PipelineStage[]> {
  const rows = (await data.unscoped(PIPELINE_STAGES).orderBy('position').select()) as StageRow[];
  return rows.map(toStage);
}

const perRequest = new WeakMap<RequestContext, Promise<PipelineStage[]>>();
/** The stages, read once per request (a page of opportunities resolves every stage from this). */
export function stagesOf(rc: RequestContext): Promise<PipelineStage[]> {
  let stages = perRequest.get(rc);
  if (!stages) {
    stages = loadStages(rc.data);
    perRequest.set(rc, stages);
  }
  return stages;
}

function requireManage(rc: RequestContext): void {
  if (!rc.actor.scope('opportunities', 'manage').all)
    throw new Forbidden('Only administrators may change the pipeline');
}

function parse<S extends z.ZodType>(schema: S, raw: unknown, prefix: string[]): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw ValidationFailed.fromZod(parsed.error, prefix);
  return parsed.data;
}

/** Rewrites positions 1..n: the open stages in `openOrder`, then won, then lost. */
async function renumber(data: DataAccess, openOrder: string[], all: PipelineStage[]): Promise<void> {
  const terminal = all
    .filter((s) => s.kind !== 'open')
    .sort((a, b) => (a.kind === 'won' ? -1 : b.kind === 'won' ? 1 : 0));
  const order = [...openOrder, ...terminal.map((s) => s.id)];
  // two passes so the positions never collide mid-way (no unique key today, but cheap insurance)
  for (const [i, id] of order.entries())
    await data
      .unscoped(PIPELINE_STAGES)
      .where({ id })
      .update({ position: 1000 + i });
  for (const [i, id] of order.entries())
    await data
      .unscoped(PIPELINE_STAGES)
      .where({ id })
      .update({ position: i + 1, updated_at: new Date() });
}

/** One change at a time per tenant: the stage rows are locked for the whole change. */
async function change<T>(rc: RequestContext, fn: (data: DataAccess, stages: PipelineStage[]) => Promise<T>) {
  requireManage(rc);
  return rc.data.transaction(async (data) => {
    const rows = (await data
      .unscoped(PIPELINE_STAGES)
      .orderBy('position')
      .forUpdate()
      .select()) as StageRow[];
    try {
      return await fn(data, rows.map(toStage));
    } catch (err) {
      if ((err as { code?: string }).code === 'ER_DUP_ENTRY')
        throw new Conflict('A stage with that name exists');
      throw err;
    }
  });
}

export async function createStage(rc: RequestContext, raw: unknown): Promise<PipelineStage> {
  const input = parse(createStageInputSchema, raw, ['input']);
  const id = uuidv7();
  await change(rc, async (data, stages) => {
    const open = stages.filter((s) => s.kind === 'open').map((s) => s.id);
    const at = Math.min(input.position ?? open.length + 1, open.length + 1) - 1;
    await data.unscoped(PIPELINE_STAGES).insert({
      id,
      name: input.name,
      probability: input.probability,
      position: 999,
      kind: 'open',
    });
    open.splice(at, 0, id);
    await renumber(data, open, stages);
  });
  rc.log.info({ stageId: id }, 'pipeline stage added');
  return (await loadStages(rc.data)).find((s) => s.id === id)!;
}

export async function updateStage(rc: RequestContext, id: string, raw: unknown): Promise<PipelineStage> {
  const input = parse(updateStageInputSchema, raw, ['input']);
  await change(rc, async (data, stages) => {
    const stage = stages.find((s) => s.id === id);
    if (!stage) throw new NotFound('No such stage');
    if (stage.kind !== 'open' && input.probability !== undefined && input.probability !== stage.probability)
      throw new ValidationFailed({ 'input.probability': ['Won and lost stages keep 100% and 0%'] });
    await data
      .unscoped(PIPELINE_STAGES)
      .where({ id })
      .update({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.probability !== undefined ? { probability: input.probability } : {}),
        updated_at: new Date(),
      });
  });
  return (await loadStages(rc.data)).find((s) => s.id === id)!;
}

/** `openStageIds`: every open stage, in the new order (won and lost stay last). */
export async function reorderStages(rc: RequestContext, raw: unknown): Promise<PipelineStage[]> {
  const ids = parse(reorderStagesInputSchema, raw, ['openStageIds']);
  await change(rc, async (data, stages) => {
    const open = stages.filter((s) => s.kind === 'open').map((s) => s.id);
    if (ids.length !== open.length || !ids.every((i) => open.includes(i)))
      throw new ValidationFailed({
        openStageIds: ['List every open stage exactly once (won and lost stay last)'],
      });
    await renumber(data, ids, stages);
  });
  return loadStages(rc.data);
}
