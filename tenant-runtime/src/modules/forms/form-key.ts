import { createHash, randomBytes } from 'node:crypto';

/*
 * Public form keys: `fk_` + 32 random base64url characters (192 bits). The key sits in an installer's page
 * source, so it names a form rather than guarding a secret; still, only its SHA-256 is stored, so a copy of
 * the database cannot be used to post leads into the workspace, and the key is shown once (create/rotate).
 */

const FORM_KEY = /^fk_[A-Za-z0-9_-]{32}$/;

export const looksLikeFormKey = (key: string) => FORM_KEY.test(key);

export function newFormKey(): { key: string; hash: string; prefix: string } {
  const key = `fk_${randomBytes(24).toString('base64url')}`;
  return { key, hash: hashFormKey(key), prefix: key.slice(0, 11) };
}

export const hashFormKey = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');

/** The subject platform-api puts in a form submitter's internal token: never a member id. */
export const formSubject = (key: string) => `form:${key.slice(3, 11)}`;
