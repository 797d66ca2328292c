/**
 * The value axis of a bar chart: a round maximum at or above the largest value, and evenly spaced ticks
 * (1, 2 or 5 × 10ⁿ apart), so gridlines land on numbers people read at a glance.
 */
export function niceScale(maxValue: number, targetTicks = 4): { max: number; ticks: number[] } {
  if (!Number.isFinite(maxValue) || maxValue <= 0) return { max: 1, ticks: [0, 1] };
  const rough = maxValue / targetTicks;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? 10 * magnitude;
  const wholeStep = Math.max(1, step);
  const max = Math.ceil(maxValue / wholeStep) * wholeStep;
  const ticks: number[] = [];
  for (let t = 0; t <= max + wholeStep / 2; t += wholeStep) ticks.push(t);
  return { max, ticks };
}

/** A bar's length in pixels for `value` on a scale of `max` over `length` pixels; never negative. */
export function barLength(value: number, max: number, length: number): number {
  if (max <= 0 || value <= 0) return 0;
  return Math.min(length, (value / max) * length);
}
