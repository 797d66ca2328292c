import { describe, expect, it } from 'vitest';
import { equipmentFields, equipmentInput, rating, type EquipmentItem } from './catalogue-settings.js';

const micro: EquipmentItem = {
  id: 'enphase-iq8m',
  kind: 'INVERTER',
  manufacturer: 'Enphase',
  model: 'IQ8M',
  unitCost: 160,
  unitPrice: 240,
  itcEligible: true,
  watts: null,
  acKw: 0.325,
  inverterType: 'micro',
  modulesPerUnit: 1,
  kwh: null,
  powerKw: null,
  active: true,
};

describe('equipment settings', () => {
  it('ask each kind for its own ratings', () => {
    expect(equipmentFields('MODULE').map((f) => f.name)).toContain('watts');
    expect(equipmentFields('BATTERY').map((f) => f.name)).toEqual(expect.arrayContaining(['kwh', 'powerKw']));
    expect(equipmentFields('RACKING').map((f) => f.name)).not.toContain('watts');
  });

  it('send an item whole, with its id and kind, and only the ratings its kind has', () => {
    expect(equipmentInput(micro)).toEqual({
      id: 'enphase-iq8m',
      kind: 'INVERTER',
      manufacturer: 'Enphase',
      model: 'IQ8M',
      unitCost: 160,
      unitPrice: 240,
      inverterType: 'micro',
      acKw: 0.325,
      modulesPerUnit: 1,
      itcEligible: true,
    });
    expect(rating(micro)).toBe('0.325 kW AC micro');
  });
});
