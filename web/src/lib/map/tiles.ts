/** Where the map's tiles come from (our origin, which fetches them from OpenStreetMap). */
export const TILE_TEMPLATE = '/customers/map-tiles/{z}/{x}/{y}';
export const OSM_ATTRIBUTION =
  '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors';
const MAX_ZOOM = 19;

/** The OpenStreetMap tile for z/x/y, or null when the numbers cannot name a tile. */
export function tileUrl(z: string, x: string, y: string): string | null {
  if (![z, x, y].every((v) => /^\d{1,7}$/.test(v))) return null;
  const zoom = Number(z);
  const size = 2 ** zoom;
  if (zoom > MAX_ZOOM || Number(x) >= size || Number(y) >= size) return null;
  return `https://tile.openstreetmap.org/${zoom}/${Number(x)}/${Number(y)}.png`;
}

export interface MapSite {
  id: string;
  label: string;
  address: string;
  latitude: number | null;
  longitude: number | null;
}

/** Sites that can go on a map (with both coordinates, in range). */
export function mappable(sites: readonly MapSite[]): (MapSite & { latitude: number; longitude: number })[] {
  return sites.filter(
    (s): s is MapSite & { latitude: number; longitude: number } =>
      s.latitude != null && s.longitude != null && Math.abs(s.latitude) <= 90 && Math.abs(s.longitude) <= 180,
  );
}
