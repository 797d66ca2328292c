import type { FieldSpec } from '$lib/record-forms/record-fields';
import type { Directory } from '$lib/leads/directory';

/** A deal's figures, as a rep keeps them up to date (names are the API's input fields). */
const FIGURES: readonly FieldSpec[] = [
  { name: 'name', label: 'Name', required: 'Enter a name', hint: 'e.g. Garcia 8 kW rooftop' },
  { name: 'amount', label: 'Amount ($)', kind: 'number', range: [0, 1_000_000_000], half: true },
  { name: 'systemSizeKw', label: 'System size (kW)', kind: 'number', range: [0, 100_000], half: true },
  { name: 'expectedCloseDate', label: 'Expected close', kind: 'date', half: true },
];

/** Editing a deal: its figures, its win probability and who owns it (an active member). */
export function editOpportunityFields(directory: Directory): FieldSpec[] {
  const owners = directory.members
    .filter((m) => m.status === 'ACTIVE')
    .map((m) => ({ value: m.id, label: m.displayName }));
  return [
    ...FIGURES,
    {
      name: 'probability',
      label: 'Probability (%)',
      kind: 'integer',
      range: [0, 100],
      half: true,
      hint: 'Moving the stage sets it too',
    },
    ...(owners.length ? [{ name: 'ownerId', label: 'Owner', kind: 'select' as const, options: owners }] : []),
  ];
}

/** A new deal for a customer: its figures and, if the customer has any, the site it is for. */
export function newOpportunityFields(sites: readonly { id: string; label: string }[]): FieldSpec[] {
  return [
    ...FIGURES,
    ...(sites.length
      ? [
          {
            name: 'siteId',
            label: 'Site',
            kind: 'select' as const,
            options: sites.map((s) => ({ value: s.id, label: s.label })),
          },
        ]
      : []),
  ];
}
