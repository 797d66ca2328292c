import { createHash } from 'node:crypto';

/** A strong validator for one representation: its content type and bytes. */
export function etagOf(contentType: string, body: Buffer): string {
  const hash = createHash('sha256').update(contentType).update('\n').update(body).digest('base64url');
  return `"${hash.slice(0, 32)}"`;
}

/**
 * If-None-Match uses the weak comparison (RFC 9110 §13.1.2): `W/"x"` matches `"x"`, and `*` matches any
 * current representation.
 */
export function matchesIfNoneMatch(header: string, etag: string): boolean {
  const value = header.trim();
  if (!value) return false;
  if (value === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  const target = opaque(etag);
  return value.split(',').some((candidate) => opaque(candidate) === target);
}
