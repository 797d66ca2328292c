/** What the account page can say about the person's two-factor authentication. */
export type MfaStatus = boolean | 'unknown';

/**
 * Whether TOTP is on, read from the person's own security events (newest first): the latest of
 * `mfa_enrolled` / `mfa_disabled` decides. platform-api's session answer does not say it directly; with
 * neither event in the window we honestly don't know, and the page offers both actions.
 */
export function mfaStatusFromEvents(
  events: readonly { type: string }[],
  /** whether `events` is the whole history (no older page) */
  complete: boolean,
): MfaStatus {
  for (const event of events) {
    if (event.type === 'mfa_enrolled') return true;
    if (event.type === 'mfa_disabled') return false;
  }
  return complete ? false : 'unknown';
}
