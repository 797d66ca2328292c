import { ValidationFailed, type FieldErrors } from '@solar/common/errors';
import {
  computeProposal,
  type ComputedProposal,
} from '@solar/tenant-runtime/modules/proposals/compute-proposal';
import { estimateOffline } from '@solar/tenant-runtime/modules/proposals/offline-estimate';
import {
  catalogueItemSchema,
  productionEstimateSchema,
  siteLocationSchema,
  systemDesignSchema,
  type CatalogueItem,
  type ProductionEstimate,
} from '@solar/tenant-runtime/modules/proposals/proposal-schema';
import { sizeSystem } from '@solar/tenant-runtime/modules/proposals/system-size';
import { z } from 'zod';
import { figuresOf, type ProposalFigures } from './figures.js';
import { catalogueItemSchema as apiCatalogueItemSchema, type CatalogueEntry } from './proposal-schemas.js';

/*
 * The runtime's proposal engine, imported (never copied) so the builder's live totals are computed in the
 * browser by exactly the code the API runs when it saves. Its modules are pure; their one import of the shared
 * kit is its error class (vite.config.ts points the bare '@solar/common' at the errors module).
 */

const cents = (dollars: number) => Math.round(dollars * 100);

/** The engine's catalogue item from the API's: the same item, in cents and lower-case kinds. */
export function engineCatalogueItem(item: CatalogueEntry): CatalogueItem | null {
  const parsed = catalogueItemSchema.safeParse({
    id: item.id,
    kind: item.kind.toLowerCase(),
    manufacturer: item.manufacturer,
    model: item.model,
    unitCostCents: cents(item.unitCost),
    unitPriceCents: cents(item.unitPrice),
    itcEligible: item.itcEligible,
    watts: item.watts ?? undefined,
    acKw: item.acKw ?? undefined,
    inverterType: item.inverterType ?? undefined,
    kwh: item.kwh ?? undefined,
    powerKw: item.powerKw ?? undefined,
  });
  return parsed.success ? parsed.data : null;
}

/** What a preview needs: the draft the builder would save, plus what the runtime would add itself. */
export const previewRequestSchema = z.object({
  draft: z.record(z.string(), z.unknown()),
  catalogue: z.array(apiCatalogueItemSchema).max(5000),
  /** the saved version's stored inputs, when editing one: its exact catalogue items and production */
  saved: z
    .object({ catalogue: z.array(z.unknown()), production: z.unknown(), design: z.unknown() })
    .partial()
    .nullable()
    .default(null),
  /** the array's location: the draft's, else the opportunity site's */
  location: siteLocationSchema.nullable(),
});
export type PreviewRequest = z.input<typeof previewRequestSchema>;

export type PreviewResult = { ok: true; figures: ProposalFigures } | { ok: false; fields: FieldErrors };

/**
 * Figures for a draft before it is saved. Production is the saved version's when the design still matches it
 * (so an unchanged draft shows exactly what the API stored); otherwise the runtime's offline model, labelled an
 * estimate — the API asks PVWatts when it saves.
 */
export function previewProposal(request: z.output<typeof previewRequestSchema>): PreviewResult {
  try {
    const savedItems = z.array(catalogueItemSchema).safeParse(request.saved?.catalogue ?? []);
    const byId = new Map<string, CatalogueItem>();
    for (const item of request.catalogue) {
      const converted = engineCatalogueItem(item);
      if (converted) byId.set(converted.id, converted);
    }
    // stored items carry what GraphQL does not show (e.g. modules per microinverter)
    for (const item of savedItems.success ? savedItems.data : []) byId.set(item.id, item);

    const design = systemDesignSchema.safeParse(request.draft['design']);
    if (!design.success) throw ValidationFailed.fromZod(design.error, ['design']);
    const lines = design.data.lines;
    const catalogue = [...new Set(lines.map((l) => l.catalogueItemId))]
      .map((id) => byId.get(id))
      .filter((item): item is CatalogueItem => item !== undefined);
    const size = sizeSystem(design.data, catalogue);
    const location = draftLocation(request.draft['location']) ?? request.location;
    const production =
      savedProduction(request.saved, design.data, size.kwDc) ??
      (location
        ? estimateOffline({
            systemCapacityKw: size.kwDc,
            lat: location.lat,
            lon: location.lon,
            tilt: design.data.tilt,
            azimuth: design.data.azimuth,
            lossesRate: design.data.lossesRate,
            arrayType: design.data.arrayType,
            moduleType: design.data.moduleType,
          })
        : null);
    if (!production) {
      return {
        ok: false,
        fields: { location: ['Give the latitude and longitude of the array (the site has none)'] },
      };
    }
    const computed = computeProposal({ ...request.draft, catalogue, production });
    return { ok: true, figures: figuresOf(computed) };
  } catch (err) {
    if (err instanceof ValidationFailed) return { ok: false, fields: err.fields };
    throw err;
  }
}

function draftLocation(raw: unknown): { lat: number; lon: number } | null {
  const parsed = siteLocationSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

function savedProduction(
  saved: z.output<typeof previewRequestSchema>['saved'],
  design: z.output<typeof systemDesignSchema>,
  kwDc: number,
): ProductionEstimate | null {
  if (!saved) return null;
  const production = productionEstimateSchema.safeParse(saved.production);
  const savedDesign = systemDesignSchema.safeParse(saved.design);
  if (!production.success || !savedDesign.success) return null;
  const same =
    Math.abs(production.data.systemCapacityKw - kwDc) < 1e-9 &&
    savedDesign.data.tilt === design.tilt &&
    savedDesign.data.azimuth === design.azimuth &&
    savedDesign.data.lossesRate === design.lossesRate &&
    savedDesign.data.arrayType === design.arrayType &&
    savedDesign.data.moduleType === design.moduleType;
  return same ? production.data : null;
}

/** A stored version's figures, recomputed from its stored inputs (the engine is pure: same input, same result). */
export function storedProposal(inputs: unknown): ComputedProposal {
  return computeProposal(inputs);
}
