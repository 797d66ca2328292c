import { z } from 'zod';
import { EQUIPMENT_KINDS, EQUIPMENT_QUERY } from '$lib/proposals/catalogue-settings';
import { serverGraphql } from '$lib/server/graphql';
import { requireManager } from '../require-manager';
import type { PageServerLoad } from './$types';

const n = z.number().nullable();
const itemSchema = z.object({
  id: z.string(),
  kind: z.enum(EQUIPMENT_KINDS),
  manufacturer: z.string(),
  model: z.string(),
  unitCost: z.number(),
  unitPrice: z.number(),
  itcEligible: z.boolean(),
  watts: n,
  acKw: n,
  inverterType: z.string().nullable(),
  modulesPerUnit: n,
  kwh: n,
  powerKw: n,
  active: z.boolean(),
});

/** The whole catalogue, retired items included, for administrators to keep. */
export const load: PageServerLoad = async (event) => {
  await requireManager(event);
  const { equipmentCatalogue } = await serverGraphql(
    event,
    EQUIPMENT_QUERY,
    {},
    z.object({ equipmentCatalogue: z.array(itemSchema) }),
  );
  return { items: equipmentCatalogue };
};
