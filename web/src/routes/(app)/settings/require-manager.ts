import { error, type ServerLoadEvent } from '@sveltejs/kit';

/**
 * Workspace security settings (keys, clients, SSO, MFA policy, invitations) are for administrators
 * (access:manage:all); others get the same "not found" as a page that does not exist. The API checks too.
 */
export async function requireManager(event: Pick<ServerLoadEvent, 'parent'>): Promise<void> {
  const { canManage } = (await event.parent()) as { canManage?: boolean };
  if (!canManage)
    error(404, { code: 'NOT_FOUND', message: "This page doesn't exist, or it isn't shared with you." });
}
