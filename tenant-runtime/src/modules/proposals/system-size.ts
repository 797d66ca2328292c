import { ValidationFailed, type FieldErrors } from '@solar/common/errors';
import type { CatalogueItem, SystemDesign } from './proposal-schema.js';

/** One design line joined to its catalogue item. */
export interface ResolvedLine {
  item: CatalogueItem;
  quantity: number;
}

export interface SystemSize {
  lines: ResolvedLine[];
  moduleCount: number;
  /** Σ module STC watts × quantity */
  dcWatts: number;
  /** dcWatts / 1000, kept to 3 decimals (exact for whole watts) */
  kwDc: number;
  /** Σ inverter AC rating × quantity, 3 decimals */
  kwAc: number;
  /** kwDc / kwAc, 2 decimals */
  dcAcRatio: number;
  /** Σ usable battery kWh × quantity, 2 decimals */
  batteryKwh: number;
  /** things a designer should look at, not errors */
  warnings: string[];
}

const round = (v: number, decimals: number) => Math.round(v * 10 ** decimals) / 10 ** decimals;

/**
 * Joins a design to the catalogue and sizes it. A design must have modules and an inverter path
 * (string, hybrid or microinverters); anything else is a ValidationFailed naming the field.
 */
export function sizeSystem(
  design: SystemDesign,
  catalogue: readonly CatalogueItem[],
  path = 'design',
): SystemSize {
  const byId = new Map(catalogue.map((c) => [c.id, c]));
  const fields: FieldErrors = {};
  const lines: ResolvedLine[] = [];
  design.lines.forEach((line, i) => {
    const item = byId.get(line.catalogueItemId);
    if (!item) (fields[`${path}.lines.${i}.catalogueItemId`] ??= []).push('Not in the equipment catalogue');
    else lines.push({ item, quantity: line.quantity });
  });

  let moduleCount = 0;
  let dcWatts = 0;
  let acKw = 0;
  let batteryKwh = 0;
  let microUnits = 0;
  let microModuleCapacity = 0;
  let hasInverter = false;
  for (const { item, quantity } of lines) {
    if (item.kind === 'module') {
      moduleCount += quantity;
      dcWatts += item.watts * quantity;
    } else if (item.kind === 'inverter') {
      hasInverter = true;
      acKw += item.acKw * quantity;
      if (item.inverterType === 'micro') {
        microUnits += quantity;
        microModuleCapacity += item.modulesPerUnit * quantity;
      }
    } else if (item.kind === 'battery') {
      batteryKwh += item.kwh * quantity;
    }
  }
  if (lines.length === design.lines.length) {
    if (moduleCount === 0) (fields[`${path}.lines`] ??= []).push('A design needs at least one solar module');
    if (!hasInverter)
      (fields[`${path}.lines`] ??= []).push(
        'A design needs an inverter path (string, hybrid or microinverters)',
      );
  }
  if (Object.keys(fields).length > 0) throw new ValidationFailed(fields);

  const kwDc = round(dcWatts / 1000, 3);
  const kwAc = round(acKw, 3);
  const dcAcRatio = round(kwDc / kwAc, 2);
  const warnings: string[] = [];
  if (microUnits > 0 && microModuleCapacity < moduleCount)
    warnings.push(`${moduleCount} modules but microinverters for only ${microModuleCapacity}`);
  // PVWatts' default is 1.2; beyond ~1.5 clipping losses grow, below ~0.9 the inverter is oversized
  if (dcAcRatio > 1.5) warnings.push(`DC/AC ratio ${dcAcRatio} is high: expect inverter clipping`);
  if (dcAcRatio < 0.9) warnings.push(`DC/AC ratio ${dcAcRatio} is low: the inverter is oversized`);
  return { lines, moduleCount, dcWatts, kwDc, kwAc, dcAcRatio, batteryKwh: round(batteryKwh, 2), warnings };
}
