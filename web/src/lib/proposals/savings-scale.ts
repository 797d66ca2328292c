import { niceScale } from '../chart/bar-scale.js';

/** A value axis that may go below zero (early years of a cash purchase): nice steps on both sides. */
export function signedScale(values: readonly number[]): { min: number; max: number; ticks: number[] } {
  const top = Math.max(0, ...values);
  const bottom = Math.min(0, ...values);
  const span = niceScale(Math.max(top, -bottom, 1));
  const step = span.ticks[1] ?? span.max;
  const max = top > 0 ? Math.ceil(top / step) * step : 0;
  const min = bottom < 0 ? Math.floor(bottom / step) * step : 0;
  const ticks: number[] = [];
  for (let t = min; t <= max + step / 2; t += step) ticks.push(t);
  return { min, max: max === min ? min + step : max, ticks };
}
