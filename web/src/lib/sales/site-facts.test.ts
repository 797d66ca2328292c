import { describe, expect, it } from 'vitest';
import { compass, coordinates, enumLabel, osmLink, siteAddress } from './site-facts.js';

describe('how a site reads', () => {
  it('writes the known parts of an address and skips the missing ones', () => {
    expect(siteAddress({ street: '12 Sun St', city: 'Phoenix', region: 'AZ', postalCode: '85001' })).toBe(
      '12 Sun St, Phoenix, AZ, 85001',
    );
    expect(siteAddress({ street: null, city: 'Phoenix', region: '', postalCode: null })).toBe('Phoenix');
    expect(siteAddress({ street: null, city: null, region: null })).toBe('');
  });

  it('links to the exact spot on OpenStreetMap', () => {
    expect(osmLink(33.4484, -112.074)).toBe(
      'https://www.openstreetmap.org/?mlat=33.448400&mlon=-112.074000#map=18/33.448400/-112.074000',
    );
  });

  it('writes coordinates with hemispheres', () => {
    expect(coordinates(33.4484, -112.074)).toBe('33.4484° N, 112.0740° W');
    expect(coordinates(-33.9, 18.42)).toBe('33.9000° S, 18.4200° E');
  });

  it('names roof types and shading, and which way a roof faces', () => {
    expect(enumLabel('ASPHALT_SHINGLE')).toBe('Asphalt shingle');
    expect(enumLabel(null)).toBeNull();
    expect(compass(180)).toBe('S');
    expect(compass(225)).toBe('SW');
    expect(compass(359)).toBe('N');
  });
});
