import { error } from '@sveltejs/kit';

/** The error code in platform-api's `{ error: { code } }` body, if there is one. */
export function upstreamCode(body: unknown): string | undefined {
  const code = (body as { error?: { code?: unknown } } | null)?.error?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * The one place platform-api failures become error pages: an unknown workspace, a workspace still being set
 * up, and "we could not reach it" each get wording a user can act on. Never returns.
 */
export function failFromUpstream(status: number, body: unknown): never {
  const code = upstreamCode(body);
  if (code === 'TENANT_NOT_FOUND') {
    error(404, { code: 'UNKNOWN_WORKSPACE', message: 'There is no workspace at this address.' });
  }
  if (code === 'TENANT_PROVISIONING') {
    error(503, { code: 'PROVISIONING', message: 'This workspace is being set up. Try again in a moment.' });
  }
  if (status === 504 || code === 'UPSTREAM_TIMEOUT') {
    error(504, { code: 'TIMEOUT', message: 'The workspace took too long to answer. Try again.' });
  }
  if (status >= 500) {
    error(503, { code: 'UNAVAILABLE', message: 'Solar is temporarily unavailable. Try again in a moment.' });
  }
  error(status, { code: code ?? 'REQUEST_FAILED', message: 'That request could not be completed.' });
}

export function failUnreachable(): never {
  error(503, { code: 'UNAVAILABLE', message: "We can't reach Solar right now. Try again in a moment." });
}
