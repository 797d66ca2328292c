/**
 * Proposal tables. Neither is row-scoped by itself: the catalogue is the whole workspace's, and a proposal is
 * reached only through its (row-scoped) opportunity — see proposal-repository.ts.
 */
export const CATALOGUE_TABLE = 'equipment_catalogue';
export const PROPOSALS_TABLE = 'proposals';
