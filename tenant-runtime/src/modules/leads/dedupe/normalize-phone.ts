/*
 * Phone numbers to E.164 for matching. North American numbers (US, CA and the other +1 countries) are checked
 * against the NANP plan; for a few other countries the national trunk "0" is dropped. No carrier data: this
 * tells two spellings of one number apart from two numbers, it does not prove a number exists.
 */

/** Calling codes of countries leads commonly come from; others need the number written with "+". */
const CALLING_CODES: Record<string, string> = {
  US: '1',
  CA: '1',
  PR: '1',
  MX: '52',
  GB: '44',
  IE: '353',
  AU: '61',
  NZ: '64',
  DE: '49',
  FR: '33',
  ES: '34',
  IT: '39',
  NL: '31',
  IN: '91',
  ZA: '27',
};

/** NANP: area code and exchange both start 2–9. */
const NANP = /^[2-9]\d{2}[2-9]\d{6}$/;

export function normalizePhone(raw: string | null | undefined, countryHint = 'US'): string | null {
  if (!raw) return null;
  // drop an extension: "x12", "ext. 12", "extension 12", "#12"
  const main = raw.replace(/\s*(?:ext\.?|extension|x|#)\s*\d+\s*$/i, '').trim();
  if (!main) return null;
  const digits = main.replace(/\D/g, '');
  const country = countryHint.toUpperCase();
  const code = CALLING_CODES[country];

  let international: string | null = null;
  if (main.startsWith('+')) international = digits;
  else if (digits.startsWith('00')) international = digits.slice(2);
  else if (code === '1' && digits.startsWith('011')) international = digits.slice(3);

  if (international !== null) {
    if (international.startsWith('1')) return NANP.test(international.slice(1)) ? `+${international}` : null;
    return /^[2-9]\d{6,14}$/.test(international) ? `+${international}` : null;
  }
  if (code === '1') {
    const national = digits.length === 11 && digits.startsWith('1') ? digits.slice(1) : digits;
    return NANP.test(national) ? `+1${national}` : null;
  }
  if (!code) return null;
  const national = digits.replace(/^0/, '');
  const e164 = `${code}${national}`;
  return national.length >= 6 && e164.length <= 15 ? `+${e164}` : null;
}
