import type { ArrayType, ModuleType, ProductionEstimate } from './proposal-schema.js';

export interface OfflineEstimateInput {
  systemCapacityKw: number;
  lat: number;
  lon: number;
  /** degrees from horizontal */
  tilt: number;
  /** degrees clockwise from north */
  azimuth: number;
  lossesRate: number;
  arrayType: ArrayType;
  moduleType: ModuleType;
}

/*
 * Average daily clearness index (global horizontal ÷ extraterrestrial) by latitude band: a coarse world
 * average, the main reason this estimate can be off by ±15 % or more for a given site.
 */
const CLEARNESS_BANDS: readonly { below: number; kt: number }[] = [
  { below: 15, kt: 0.52 },
  { below: 25, kt: 0.55 },
  { below: 35, kt: 0.6 },
  { below: 45, kt: 0.54 },
  { below: 55, kt: 0.49 },
  { below: 65, kt: 0.42 },
  { below: 91, kt: 0.4 },
];
const ALBEDO = 0.2;
const INVERTER_EFFICIENCY = 0.96;
/** cell temperature and low-light derate, by mounting (roof-mounted runs hotter) and module type */
const MOUNT_DERATE: Record<ArrayType, number> = {
  fixed_open_rack: 0.95,
  fixed_roof: 0.93,
  one_axis: 0.95,
  one_axis_backtracking: 0.95,
  two_axis: 0.95,
};
const MODULE_FACTOR: Record<ModuleType, number> = { standard: 1, premium: 1.005, thin_film: 1.01 };
/** backtracking trades a little irradiance for no row-to-row shading */
const BACKTRACKING_FACTOR = 0.98;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const rad = (deg: number) => (deg * Math.PI) / 180;

/** Erbs et al. diffuse fraction from the clearness index. */
function diffuseFraction(kt: number): number {
  if (kt <= 0.22) return 1 - 0.09 * kt;
  if (kt <= 0.8) return 0.9511 - 0.1604 * kt + 4.388 * kt ** 2 - 16.638 * kt ** 3 + 12.336 * kt ** 4;
  return 0.165;
}

/**
 * A production estimate without any network call, for tenants with no PVWatts key. It walks every hour of a
 * typical year: sun position (Cooper declination, solar time), extraterrestrial irradiance scaled by the
 * latitude band's clearness index, Erbs beam/diffuse split, isotropic-sky transposition onto the array, then
 * the system losses, a temperature derate and a 96 % inverter. No weather data, no shading, no clipping —
 * so it is labelled `offline-estimate` and lists those assumptions for the proposal to print.
 */
export function estimateOffline(input: OfflineEstimateInput): ProductionEstimate {
  const absLat = Math.abs(input.lat);
  const kt = CLEARNESS_BANDS.find((b) => absLat < b.below)?.kt ?? 0.4;
  const fd = diffuseFraction(kt);
  const phi = rad(input.lat);
  const beta = rad(input.tilt);
  // Duffie & Beckman surface azimuth: measured from south, west positive (PVWatts: from north, clockwise)
  const gamma = rad(input.azimuth - 180);
  const tracking = input.arrayType !== 'fixed_open_rack' && input.arrayType !== 'fixed_roof';

  const poaMonthly = new Array<number>(12).fill(0);
  let dayOfYear = 0;
  for (let month = 0; month < 12; month++) {
    for (let d = 0; d < (DAYS_IN_MONTH[month] ?? 30); d++) {
      dayOfYear++;
      const delta = rad(23.45 * Math.sin(rad((360 * (284 + dayOfYear)) / 365)));
      const e0 = 1367 * (1 + 0.033 * Math.cos(rad((360 * dayOfYear) / 365)));
      for (let hour = 0; hour < 24; hour++) {
        const omega = rad(15 * (hour + 0.5 - 12));
        const cosZ = Math.sin(phi) * Math.sin(delta) + Math.cos(phi) * Math.cos(delta) * Math.cos(omega);
        if (cosZ <= 0.01) continue;
        const ghi = kt * e0 * cosZ; // Wh/m² over the hour
        const dhi = fd * ghi;
        const beamH = ghi - dhi;
        let cosTheta: number;
        let skyView: number;
        let groundView: number;
        if (input.arrayType === 'two_axis') {
          cosTheta = 1;
          skyView = (1 + cosZ) / 2;
          groundView = (1 - cosZ) / 2;
        } else if (tracking) {
          // horizontal north–south axis with continuous tracking
          cosTheta = Math.sqrt(cosZ ** 2 + Math.cos(delta) ** 2 * Math.sin(omega) ** 2);
          skyView = 0.9;
          groundView = 0.1;
        } else {
          cosTheta =
            Math.sin(delta) * Math.sin(phi) * Math.cos(beta) -
            Math.sin(delta) * Math.cos(phi) * Math.sin(beta) * Math.cos(gamma) +
            Math.cos(delta) * Math.cos(phi) * Math.cos(beta) * Math.cos(omega) +
            Math.cos(delta) * Math.sin(phi) * Math.sin(beta) * Math.cos(gamma) * Math.cos(omega) +
            Math.cos(delta) * Math.sin(beta) * Math.sin(gamma) * Math.sin(omega);
          skyView = (1 + Math.cos(beta)) / 2;
          groundView = (1 - Math.cos(beta)) / 2;
        }
        const beamRatio = Math.min(Math.max(cosTheta, 0) / Math.max(cosZ, 0.05), 10);
        poaMonthly[month]! += beamH * beamRatio + dhi * skyView + ghi * ALBEDO * groundView;
      }
    }
  }

  const trackingFactor = input.arrayType === 'one_axis_backtracking' ? BACKTRACKING_FACTOR : 1;
  const perKw =
    (1 - input.lossesRate) *
    MOUNT_DERATE[input.arrayType] *
    MODULE_FACTOR[input.moduleType] *
    INVERTER_EFFICIENCY *
    trackingFactor;
  // POA in kWh/m² equals peak-sun-hours, i.e. kWh per kW of DC at the 1 kW/m² rating
  const acMonthlyKwh = poaMonthly.map(
    (whPerM2) => Math.round((whPerM2 / 1000) * input.systemCapacityKw * perKw * 10) / 10,
  );
  const acAnnualKwh = Math.round(acMonthlyKwh.reduce((s, v) => s + v, 0) * 10) / 10;
  return {
    source: 'offline-estimate',
    acAnnualKwh,
    acMonthlyKwh,
    capacityFactorPct: Math.round((acAnnualKwh / (input.systemCapacityKw * 8760)) * 10_000) / 100,
    systemCapacityKw: input.systemCapacityKw,
    assumptions: [
      'Offline estimate: no weather data was used; expect ±15 % or more against a PVWatts or site-specific model.',
      `Clearness index ${kt} for latitude band ${Math.abs(input.lat).toFixed(1)}°; isotropic sky, ground albedo ${ALBEDO}.`,
      `Array ${input.arrayType}, tilt ${input.tilt}°, azimuth ${input.azimuth}°${tracking ? ' (tracking: tilt/azimuth ignored)' : ''}.`,
      `System losses ${(input.lossesRate * 100).toFixed(1)} %, temperature derate ${MOUNT_DERATE[input.arrayType]}, inverter efficiency ${INVERTER_EFFICIENCY * 100} %.`,
      'No shading, snow, or inverter clipping modelled.',
    ],
    warnings: [],
    station: null,
  };
}
