import { error } from '@sveltejs/kit';
import { can, canAll } from '$lib/access/permissions';
import type { LayoutServerLoad } from './$types';

/** Settings is for those who may read the access directory; changes need access:manage:all. */
export const load: LayoutServerLoad = async ({ parent }) => {
  const { permissions } = await parent();
  if (!can(permissions, 'access', 'read')) {
    error(404, { code: 'NOT_FOUND', message: "This page doesn't exist, or it isn't shared with you." });
  }
  return { canManage: canAll(permissions, 'access', 'manage') };
};
