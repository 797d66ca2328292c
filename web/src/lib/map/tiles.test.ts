import { describe, expect, it } from 'vitest';
import { mappable, tileUrl } from './tiles.js';

describe('map tiles and markers', () => {
  it('fetches only real OpenStreetMap tiles', () => {
    expect(tileUrl('3', '4', '2')).toBe('https://tile.openstreetmap.org/3/4/2.png');
    expect(tileUrl('3', '8', '2')).toBeNull(); // zoom 3 has x 0..7
    expect(tileUrl('20', '0', '0')).toBeNull();
    expect(tileUrl('3', '../etc', '2')).toBeNull();
  });

  it('leaves sites without coordinates off the map', () => {
    const site = { id: 's', label: 'Home', address: '' };
    expect(
      mappable([
        { ...site, latitude: 33.4, longitude: -112 },
        { ...site, id: 'none', latitude: null, longitude: null },
        { ...site, id: 'half', latitude: 33.4, longitude: null },
      ]).map((s) => s.id),
    ).toEqual(['s']);
  });
});
