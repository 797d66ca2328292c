import { createHash } from 'node:crypto';

/** A weak validator over the JSON representation: equal bodies, equal tags. */
export function etagOf(body: unknown): string {
  const hash = createHash('sha256').update(JSON.stringify(body)).digest('base64url').slice(0, 27);
  return `W/"${hash}"`;
}

/** The opaque tags of an If-None-Match / If-Match header ('*' stays '*'). */
export function parseTags(header: string): string[] {
  return header
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '')
    .map((t) => (t === '*' ? t : t.replace(/^W\//, '')));
}

/**
 * Whether a conditional header matches the current tag. Weak comparison for both headers: our tags are
 * weak (the representation, not the bytes, is what a client edits), so If-Match compares them weakly too.
 */
export function tagMatches(header: string, current: string): boolean {
  const opaque = current.replace(/^W\//, '');
  return parseTags(header).some((t) => t === '*' || t === opaque);
}
