/** How a customer's site reads on screen: where it is and what its roof is like. */
export function osmLink(latitude: number, longitude: number): string {
  const lat = latitude.toFixed(6);
  const lon = longitude.toFixed(6);
  return `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=18/${lat}/${lon}`;
}

/** 33.448400, -112.074000 → "33.4484° N, 112.0740° W" */
export function coordinates(latitude: number, longitude: number): string {
  const ns = latitude >= 0 ? 'N' : 'S';
  const ew = longitude >= 0 ? 'E' : 'W';
  return `${Math.abs(latitude).toFixed(4)}° ${ns}, ${Math.abs(longitude).toFixed(4)}° ${ew}`;
}

/** ASPHALT_SHINGLE → "Asphalt shingle" (enum values as the API answers them). */
export function enumLabel(value: string | null): string | null {
  if (!value) return null;
  const text = value.toLowerCase().replaceAll('_', ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** 180 → "S": which way a roof plane faces. */
export function compass(azimuthDeg: number): string {
  const points = ['N', 'NE', 'E', 'SE', 'S', 'SW', 'W', 'NW'];
  return points[Math.round(((azimuthDeg % 360) + 360) / 45) % 8]!;
}

/** A site's postal parts that are known, in reading order: "12 Sun St, Phoenix, AZ, 85001". */
export function siteAddress(site: {
  street: string | null;
  city: string | null;
  region: string | null;
  postalCode?: string | null;
}): string {
  return [site.street, site.city, site.region, site.postalCode].filter(Boolean).join(', ');
}
