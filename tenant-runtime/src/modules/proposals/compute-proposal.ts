import { ValidationFailed } from '@solar/common/errors';
import { evaluateFinancing, type FinancingResult } from './financing.js';
import { priceSystem, type PriceBreakdown } from './pricing.js';
import {
  proposalInputSchema,
  type AnalysisInput,
  type ProductionEstimate,
  type SystemDesign,
  type UtilityInput,
} from './proposal-schema.js';
import { sizeSystem, type SystemSize } from './system-size.js';
import { projectEnergy, type EnergyYear } from './utility-savings.js';

export interface ComputedLine {
  kind: string;
  manufacturer: string;
  model: string;
  quantity: number;
  /** "410 W", "7.6 kW AC", "13.5 kWh" */
  rating: string | null;
}

/** Everything the API shows and the printable document renders, computed from one input. */
export interface ComputedProposal {
  system: Omit<SystemSize, 'lines'> & { lines: ComputedLine[] };
  design: Pick<SystemDesign, 'tilt' | 'azimuth' | 'lossesRate' | 'arrayType' | 'moduleType'>;
  production: ProductionEstimate & {
    /** year-1 kWh per kW DC */
    specificYieldKwhPerKw: number;
    /** year-1 production ÷ annual usage, 3 decimals */
    usageOffsetRatio: number | null;
  };
  pricing: PriceBreakdown;
  utility: UtilityInput;
  analysis: AnalysisInput;
  energy: EnergyYear[];
  financing: FinancingResult[];
  warnings: string[];
}

/**
 * The proposal engine: (design, catalogue, pricing, incentives, utility, financing, production) → figures.
 * Pure: production is estimated beforehand (PVWatts or offline), so the same input always gives the same
 * proposal. Bad input throws ValidationFailed with field paths relative to the input object.
 */
export function computeProposal(rawInput: unknown): ComputedProposal {
  const parsed = proposalInputSchema.safeParse(rawInput);
  if (!parsed.success) throw ValidationFailed.fromZod(parsed.error);
  const input = parsed.data;

  const size = sizeSystem(input.design, input.catalogue);
  // a stale estimate (made before the design changed) would misstate every saving
  const capacityGap = Math.abs(input.production.systemCapacityKw - size.kwDc) / size.kwDc;
  if (capacityGap > 0.01)
    throw new ValidationFailed({
      'production.systemCapacityKw': [
        `Production was estimated for ${input.production.systemCapacityKw} kW but the design is ${size.kwDc} kW DC; re-run the estimate`,
      ],
    });

  const pricing = priceSystem(size, input.pricing, input.incentives);
  const energy = projectEnergy(input.production.acAnnualKwh, input.utility, input.analysis);
  const financing = input.financing.map((option, i) =>
    evaluateFinancing(option, pricing, energy, `financing.${i}`),
  );

  const warnings = [...size.warnings, ...input.production.warnings];
  if (input.production.source === 'offline-estimate')
    warnings.push('Production is an offline estimate, not a PVWatts simulation; see its assumptions.');
  const usage = input.utility.annualUsageKwh;
  const usageOffsetRatio =
    usage > 0 ? Math.round((input.production.acAnnualKwh / usage) * 1000) / 1000 : null;
  if (usageOffsetRatio !== null && usageOffsetRatio > 1.1)
    warnings.push(
      `The system produces ${Math.round(usageOffsetRatio * 100)} % of the yearly usage; surplus earns little.`,
    );

  return {
    system: { ...size, lines: size.lines.map(({ item, quantity }) => describeLine(item, quantity)) },
    design: {
      tilt: input.design.tilt,
      azimuth: input.design.azimuth,
      lossesRate: input.design.lossesRate,
      arrayType: input.design.arrayType,
      moduleType: input.design.moduleType,
    },
    production: {
      ...input.production,
      specificYieldKwhPerKw: Math.round(input.production.acAnnualKwh / size.kwDc),
      usageOffsetRatio,
    },
    pricing,
    utility: input.utility,
    analysis: input.analysis,
    energy,
    financing,
    warnings,
  };
}

function describeLine(item: SystemSize['lines'][number]['item'], quantity: number): ComputedLine {
  const rating =
    item.kind === 'module'
      ? `${item.watts} W`
      : item.kind === 'inverter'
        ? `${item.acKw} kW AC`
        : item.kind === 'battery'
          ? `${item.kwh} kWh`
          : null;
  return { kind: item.kind, manufacturer: item.manufacturer, model: item.model, quantity, rating };
}
