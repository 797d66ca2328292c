/**
 * The sales records an activity can be on, what the app calls them and where each lives. Contacts and sites
 * have no page of their own: they show on their customer's page (`parentId`, from the API).
 */
export const SUBJECT_TYPES = ['LEAD', 'ACCOUNT', 'CONTACT', 'SITE', 'OPPORTUNITY', 'PROPOSAL'] as const;
export type SubjectType = (typeof SUBJECT_TYPES)[number];

export type RecordHref =
  `/leads/${string}` | `/customers/${string}` | `/opportunities/${string}` | `/proposals/${string}`;

export const RECORD_TYPE_LABEL: Record<SubjectType, string> = {
  LEAD: 'Lead',
  ACCOUNT: 'Customer',
  CONTACT: 'Contact',
  SITE: 'Site',
  OPPORTUNITY: 'Opportunity',
  PROPOSAL: 'Proposal',
};

/** Where the record an activity is on lives in the app (a contact or site: its customer's page). */
export function recordHref(type: SubjectType, id: string, parentId: string | null = null): RecordHref {
  switch (type) {
    case 'LEAD':
      return `/leads/${id}`;
    case 'ACCOUNT':
      return `/customers/${id}`;
    case 'CONTACT':
    case 'SITE':
      return `/customers/${parentId ?? id}`;
    case 'OPPORTUNITY':
      return `/opportunities/${id}`;
    case 'PROPOSAL':
      return `/proposals/${id}`;
  }
}
