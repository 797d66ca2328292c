import type { OrgUnitRef } from './candidates.js';
import { haversineKm } from './haversine.js';
import type { TerritoryMatch } from './assignment-rules.js';

/** The lead facts territories look at. */
export interface AssignmentLead {
  unitId?: string | null;
  postalCode?: string | null;
  latitude?: number | null;
  longitude?: number | null;
}

/** Why the lead falls in the territory ("postcode 85004 starts with 850"), or null when it does not. */
export function matchTerritory(
  lead: AssignmentLead,
  match: TerritoryMatch,
  units: readonly OrgUnitRef[],
): string | null {
  switch (match.kind) {
    case 'org_unit': {
      if (!lead.unitId || !match.unitIds.includes(lead.unitId)) return null;
      return `lead belongs to ${units.find((u) => u.id === lead.unitId)?.name ?? `unit ${lead.unitId}`}`;
    }
    case 'postcode': {
      const code = lead.postalCode?.toUpperCase().replace(/\s+/g, '');
      if (!code) return null;
      const prefix = match.prefixes.find((p) => code.startsWith(p));
      if (prefix) return `postcode ${code} starts with ${prefix}`;
      const digits = /^\d+/.exec(code)?.[0] ?? '';
      const range = match.ranges.find((r) => {
        if (digits.length < r.from.length) return false;
        const n = Number(digits.slice(0, r.from.length));
        return n >= Number(r.from) && n <= Number(r.to);
      });
      return range ? `postcode ${code} is in ${range.from}–${range.to}` : null;
    }
    case 'radius': {
      if (lead.latitude == null || lead.longitude == null) return null;
      const km = haversineKm(match.center, { lat: lead.latitude, lon: lead.longitude });
      // the boundary is inside: a lead exactly radiusKm away belongs to the territory
      return km <= match.radiusKm ? `${km.toFixed(1)} km from the centre, within ${match.radiusKm} km` : null;
    }
  }
}
