import { ValidationFailed } from '@solar/common';
import { describe, expect, it } from 'vitest';
import { catalogueSchema, systemDesignSchema } from './proposal-schema.js';
import { workedExample } from './proposal-fixture.js';
import { sizeSystem } from './system-size.js';

const catalogue = catalogueSchema.parse(workedExample().catalogue);
const design = (lines: { catalogueItemId: string; quantity: number }[]) =>
  systemDesignSchema.parse({ lines, tilt: 20, azimuth: 180 });

describe('system size', () => {
  it('sums module watts for kW DC and the string inverter rating for kW AC', () => {
    const s = sizeSystem(
      design([
        { catalogueItemId: 'mod-410', quantity: 23 },
        { catalogueItemId: 'str-76', quantity: 1 },
      ]),
      catalogue,
    );
    expect(s).toMatchObject({
      dcWatts: 9_430,
      kwDc: 9.43,
      kwAc: 7.6,
      dcAcRatio: 1.24,
      batteryKwh: 0,
      warnings: [],
    });
  });

  it('warns when microinverters cannot serve every module', () => {
    const s = sizeSystem(
      design([
        { catalogueItemId: 'mod-410', quantity: 20 },
        { catalogueItemId: 'iq8m', quantity: 18 },
      ]),
      catalogue,
    );
    expect(s.kwAc).toBe(5.85);
    expect(s.warnings).toContain('20 modules but microinverters for only 18');
  });

  it('warns about heavy clipping and oversized inverters', () => {
    const clipped = sizeSystem(
      design([
        { catalogueItemId: 'mod-410', quantity: 30 },
        { catalogueItemId: 'str-76', quantity: 1 },
      ]),
      catalogue,
    );
    expect(clipped.dcAcRatio).toBe(1.62);
    expect(clipped.warnings[0]).toMatch(/clipping/);
    const oversized = sizeSystem(
      design([
        { catalogueItemId: 'mod-410', quantity: 10 },
        { catalogueItemId: 'str-76', quantity: 1 },
      ]),
      catalogue,
    );
    expect(oversized.warnings[0]).toMatch(/oversized/);
  });

  it('refuses a battery-only design and names what is missing', () => {
    try {
      sizeSystem(design([{ catalogueItemId: 'pw3', quantity: 1 }]), catalogue);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationFailed);
      expect((err as ValidationFailed).fields['design.lines']).toEqual([
        'A design needs at least one solar module',
        'A design needs an inverter path (string, hybrid or microinverters)',
      ]);
    }
  });

  it('catalogue ids must be unique', () => {
    const dup = catalogueSchema.safeParse([...workedExample().catalogue, workedExample().catalogue[0]]);
    expect(dup.success).toBe(false);
    expect(dup.error?.issues[0]).toMatchObject({ path: [5, 'id'], message: 'Duplicate catalogue id' });
  });
});
