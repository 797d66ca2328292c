import { roundCents } from './money.js';
import type { AnalysisInput, UtilityInput } from './proposal-schema.js';

/** One year of the system's life against the utility bill it avoids. */
export interface EnergyYear {
  /** 1-based */
  year: number;
  productionKwh: number;
  rateCentsPerKwh: number;
  billWithoutSolarCents: number;
  billSavingsCents: number;
}

/**
 * Year-by-year bill savings. Without hourly data we split production with a fixed self-consumption ratio:
 *   production(y) = year-1 production × (1 − degradation)^(y−1)
 *   rate(y)       = today's rate × (1 + escalation)^(y−1)
 *   self-used     = min(production × selfConsumptionRatio, usage)          → worth rate(y)
 *   exported      = production − self-used; the part that still offsets the year's usage is worth
 *                   rate(y) × exportCreditRatio, the surplus beyond usage the flat surplus credit.
 * Each year's savings and bill are rounded to a cent once.
 */
export function projectEnergy(
  year1ProductionKwh: number,
  utility: UtilityInput,
  analysis: AnalysisInput,
): EnergyYear[] {
  const years: EnergyYear[] = [];
  for (let year = 1; year <= analysis.years; year++) {
    const productionKwh = year1ProductionKwh * (1 - analysis.moduleDegradationRate) ** (year - 1);
    const rate = utility.rateCentsPerKwh * (1 + utility.annualRateEscalation) ** (year - 1);
    const usage = utility.annualUsageKwh;
    const selfUsed = Math.min(productionKwh * utility.selfConsumptionRatio, usage);
    const exported = productionKwh - selfUsed;
    const exportOffsetting = Math.min(exported, usage - selfUsed);
    const surplus = exported - exportOffsetting;
    years.push({
      year,
      productionKwh: Math.round(productionKwh * 10) / 10,
      rateCentsPerKwh: Math.round(rate * 10_000) / 10_000,
      billWithoutSolarCents: roundCents(usage * rate),
      billSavingsCents: roundCents(
        selfUsed * rate +
          exportOffsetting * rate * utility.exportCreditRatio +
          surplus * utility.surplusCreditCentsPerKwh,
      ),
    });
  }
  return years;
}
