import { can } from '../access/permissions.js';

/** One hit of the global search: what it is and how it reads (its kind and id say where it opens). */
export interface SearchHit {
  kind: 'Lead' | 'Customer' | 'Deal';
  id: string;
  title: string;
  detail: string;
}

const SECTIONS = [
  {
    resource: 'leads',
    field: 'leads',
    selection: 'id fullName city status',
  },
  {
    resource: 'customers',
    field: 'accounts',
    selection: 'id name kind billingCity',
  },
  {
    resource: 'opportunities',
    field: 'opportunities',
    selection: 'id name stage { name } account { name }',
  },
] as const;

/** How many hits of each kind the search shows. */
export const PER_KIND = 5;

/**
 * The one GraphQL request that searches every kind of record the viewer may read (a field they may not
 * read would fail the request), or null when they may read none.
 */
export function searchQuery(permissions: readonly string[]): string | null {
  const fields = SECTIONS.filter((s) => can(permissions, s.resource, 'read')).map(
    (s) => `${s.field}(first: ${PER_KIND}, filter: { search: $q }) { edges { node { ${s.selection} } } }`,
  );
  return fields.length ? `query GlobalSearch($q: String!) { ${fields.join(' ')} }` : null;
}

type Edges<T> = { edges: { node: T }[] } | null | undefined;
interface SearchData {
  leads?: Edges<{ id: string; fullName: string; city: string | null; status: string }>;
  accounts?: Edges<{ id: string; name: string; kind: string; billingCity: string | null }>;
  opportunities?: Edges<{
    id: string;
    name: string;
    stage: { name: string } | null;
    account: { name: string } | null;
  }>;
}

const words = (v: string) => v.charAt(0) + v.slice(1).toLowerCase().replaceAll('_', ' ');

/** The answer as one list: leads, then customers, then deals. */
export function searchHits(data: SearchData | null | undefined): SearchHit[] {
  const nodes = <T>(e: Edges<T>) => e?.edges.map((x) => x.node) ?? [];
  return [
    ...nodes(data?.leads).map((l) => ({
      kind: 'Lead' as const,
      id: l.id,
      title: l.fullName,
      detail: [words(l.status), l.city].filter(Boolean).join(' · '),
    })),
    ...nodes(data?.accounts).map((a) => ({
      kind: 'Customer' as const,
      id: a.id,
      title: a.name,
      detail: [words(a.kind), a.billingCity].filter(Boolean).join(' · '),
    })),
    ...nodes(data?.opportunities).map((o) => ({
      kind: 'Deal' as const,
      id: o.id,
      title: o.name,
      detail: [o.stage?.name, o.account?.name].filter(Boolean).join(' · '),
    })),
  ];
}
