/*
 * Street addresses to one spelling for matching: lower case, punctuation gone, USPS-style abbreviations
 * ("Street" → "st", "North" → "n"), every unit designator ("Apt", "Suite", "#", "Unit") → "unit", US ZIP+4 cut
 * to the 5-digit ZIP. "123 N. Main Street, Apt 4B" and "123 north main st #4b" become the same key.
 */

const WORDS: Record<string, string> = {
  street: 'st',
  str: 'st',
  avenue: 'ave',
  av: 'ave',
  avn: 'ave',
  road: 'rd',
  boulevard: 'blvd',
  blv: 'blvd',
  drive: 'dr',
  drv: 'dr',
  lane: 'ln',
  court: 'ct',
  place: 'pl',
  terrace: 'ter',
  highway: 'hwy',
  parkway: 'pkwy',
  pky: 'pkwy',
  circle: 'cir',
  square: 'sq',
  trail: 'trl',
  way: 'way',
  expressway: 'expy',
  freeway: 'fwy',
  crescent: 'cres',
  point: 'pt',
  mount: 'mt',
  mountain: 'mtn',
  heights: 'hts',
  north: 'n',
  south: 's',
  east: 'e',
  west: 'w',
  northeast: 'ne',
  northwest: 'nw',
  southeast: 'se',
  southwest: 'sw',
  first: '1st',
  second: '2nd',
  third: '3rd',
  fourth: '4th',
  fifth: '5th',
};
const UNIT_WORDS = new Set([
  'apt',
  'apartment',
  'unit',
  'suite',
  'ste',
  'no',
  'number',
  'rm',
  'room',
  'fl',
  'floor',
  'bldg',
  'building',
]);

export function normalizeStreet(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const tokens = raw
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // accents: "Calle José" = "Calle Jose"
    .replace(/#\s*/g, ' unit ')
    .replace(/[^a-z0-9\s-]/g, ' ')
    .replace(/-/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (UNIT_WORDS.has(t)) {
      // all designators mean the same thing for matching; keep one "unit" before the number
      if (out.at(-1) !== 'unit') out.push('unit');
      continue;
    }
    out.push(WORDS[t] ?? t);
  }
  while (out.at(-1) === 'unit') out.pop();
  return out.length ? out.join(' ') : null;
}

export function normalizePostcode(raw: string | null | undefined, country = 'US'): string | null {
  const code = raw?.toUpperCase().replace(/[^A-Z0-9]/g, '');
  if (!code) return null;
  if (country.toUpperCase() === 'US' && /^\d{5}(\d{4})?$/.test(code)) return code.slice(0, 5);
  return code;
}
