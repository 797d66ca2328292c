import { DIRECTORY_QUERY } from '$lib/access/access-documents';
import { leadAbilities } from '$lib/access/permissions';
import { EMPTY_DIRECTORY, type Directory } from '$lib/leads/directory';
import { serverGraphql } from '$lib/server/graphql';
import { directoryDataSchema } from '$lib/server/access-schemas';
import type { LayoutServerLoad } from './$types';

/**
 * What every leads screen shares: what the viewer may do with leads, and the member and unit names to show
 * instead of ids. As a layout load it does not depend on the URL's query, so searching and paging reuse it;
 * it is read again on a full page load or invalidateAll().
 */
export const load: LayoutServerLoad = async (event) => {
  const { permissions } = await event.parent();
  const abilities = leadAbilities(permissions);
  const directory: Directory = abilities.directory
    ? await serverGraphql(event, DIRECTORY_QUERY, {}, directoryDataSchema)
    : EMPTY_DIRECTORY;
  return { abilities, directory };
};
