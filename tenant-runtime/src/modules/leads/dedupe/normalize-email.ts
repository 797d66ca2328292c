/** Mailboxes where "+tag" is a sub-address of the same inbox. */
const PLUS_ADDRESSING = new Set([
  'gmail.com',
  'outlook.com',
  'hotmail.com',
  'live.com',
  'icloud.com',
  'me.com',
  'fastmail.com',
  'protonmail.com',
  'proton.me',
]);

/**
 * The mailbox an address delivers to, for matching (never for sending): case and whitespace folded; Gmail's
 * dots and "+tags" removed (googlemail.com is gmail.com); "+tags" removed where the provider treats them as
 * sub-addresses. Returns null for blank or malformed input.
 */
export function normalizeEmail(raw: string | null | undefined): string | null {
  const email = raw?.trim().toLowerCase().replace(/\s+/g, '');
  if (!email) return null;
  const at = email.lastIndexOf('@');
  if (at <= 0 || at === email.length - 1) return null;
  let local = email.slice(0, at);
  let domain = email.slice(at + 1).replace(/\.$/, '');
  if (domain === 'googlemail.com') domain = 'gmail.com';
  if (PLUS_ADDRESSING.has(domain)) local = local.split('+')[0]!;
  if (domain === 'gmail.com') local = local.replace(/\./g, '');
  return local ? `${local}@${domain}` : null;
}
