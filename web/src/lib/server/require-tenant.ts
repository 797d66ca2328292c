import { error } from '@sveltejs/kit';

/** The workspace of this request, or the "unknown workspace" page when the address names none. */
export function requireTenant(locals: App.Locals): string {
  if (!locals.tenant) {
    error(404, {
      code: 'UNKNOWN_WORKSPACE',
      message: 'This address does not belong to a Solar workspace.',
    });
  }
  return locals.tenant;
}
