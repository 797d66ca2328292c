/** Names for the ids on a lead: members and org units, as the leads screens show them. */
export interface Directory {
  members: { id: string; displayName: string; status: 'ACTIVE' | 'DISABLED' }[];
  orgUnits: { id: string; kind: string; name: string; parentId: string | null; depth: number }[];
}

export const EMPTY_DIRECTORY: Directory = { members: [], orgUnits: [] };

/** "You", a colleague's name, "Unassigned", or "Someone else" when the viewer may not read the directory. */
export function ownerName(directory: Directory, viewerId: string, ownerId: string | null): string {
  if (!ownerId) return 'Unassigned';
  if (ownerId === viewerId) return 'You';
  return directory.members.find((m) => m.id === ownerId)?.displayName ?? 'Someone else';
}

export function unitName(directory: Directory, unitId: string | null): string {
  if (!unitId) return '—';
  return directory.orgUnits.find((u) => u.id === unitId)?.name ?? '—';
}
