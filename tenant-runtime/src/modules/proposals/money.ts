/*
 * Rounding rule for every amount the engine derives: compute in floating point, then round ONCE to a whole
 * cent, half away from zero, where the amount is first stated. Totals are sums of already-rounded lines, so
 * every printed breakdown adds up to the cent. The 9-decimal pre-rounding removes binary noise such as
 * 1234.4999999997 that should read 1234.5.
 */
export function roundCents(value: number): number {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite amount: ${value}`);
  const abs = Number(Math.abs(value).toFixed(9));
  const rounded = Math.round(abs);
  return value < 0 ? -rounded : rounded;
}

/** Cents per watt etc., shown to 2 decimals. */
export function round2(value: number): number {
  return roundCents(value * 100) / 100;
}

/** "$12,345.67" — proposals are in US dollars this round. */
export function formatUsd(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const dollars = Math.floor(abs / 100).toLocaleString('en-US');
  return `${sign}$${dollars}.${String(abs % 100).padStart(2, '0')}`;
}
