import type { FieldSpec } from '$lib/record-forms/record-fields';

/** Settings › Equipment: the catalogue proposals are designed from, as administrators keep it. */
export const CATALOGUE_FIELDS = `id kind manufacturer model unitCost unitPrice itcEligible watts acKw inverterType modulesPerUnit kwh powerKw active`;
export const EQUIPMENT_QUERY = `query EquipmentCatalogue { equipmentCatalogue(includeRetired: true) { ${CATALOGUE_FIELDS} } }`;
export const SAVE_EQUIPMENT_MUTATION = `
  mutation SaveEquipmentItem($input: EquipmentItemInput!) { saveEquipmentItem(input: $input) { id } }
`;
export const SET_EQUIPMENT_ACTIVE_MUTATION = `
  mutation SetEquipmentItemActive($id: ID!, $active: Boolean!) { setEquipmentItemActive(id: $id, active: $active) { id active } }
`;

export const EQUIPMENT_KINDS = ['MODULE', 'INVERTER', 'BATTERY', 'OPTIMIZER', 'RACKING'] as const;
export type EquipmentKind = (typeof EQUIPMENT_KINDS)[number];
export const KIND_LABEL: Record<EquipmentKind, string> = {
  MODULE: 'Module',
  INVERTER: 'Inverter',
  BATTERY: 'Battery',
  OPTIMIZER: 'Optimizer',
  RACKING: 'Racking',
};

export interface EquipmentItem {
  id: string;
  kind: EquipmentKind;
  manufacturer: string;
  model: string;
  unitCost: number;
  unitPrice: number;
  itcEligible: boolean;
  watts: number | null;
  acKw: number | null;
  inverterType: string | null;
  modulesPerUnit: number | null;
  kwh: number | null;
  powerKw: number | null;
  active: boolean;
}

const COMMON: readonly FieldSpec[] = [
  { name: 'manufacturer', label: 'Manufacturer', required: 'Enter the maker', half: true },
  { name: 'model', label: 'Model', required: 'Enter the model', half: true },
  {
    name: 'unitCost',
    label: 'Your cost ($ per unit)',
    kind: 'number',
    range: [0, 10_000_000],
    required: 'Enter the cost',
    half: true,
  },
  {
    name: 'unitPrice',
    label: 'Price ($ per unit)',
    kind: 'number',
    range: [0, 10_000_000],
    required: 'Enter the price',
    half: true,
  },
];
const ITC: FieldSpec = {
  name: 'itcEligible',
  label: 'Counts toward the federal tax credit',
  kind: 'checkbox',
};

/** What each kind needs besides maker, model, cost and price. */
const RATINGS: Record<EquipmentKind, readonly FieldSpec[]> = {
  MODULE: [
    { name: 'watts', label: 'Nameplate (W)', kind: 'integer', range: [1, 1500], required: 'Enter the watts' },
  ],
  INVERTER: [
    {
      name: 'inverterType',
      label: 'Type',
      kind: 'select',
      options: [
        { value: 'string', label: 'String' },
        { value: 'micro', label: 'Microinverter' },
        { value: 'hybrid', label: 'Hybrid (string + battery)' },
      ],
      half: true,
    },
    {
      name: 'acKw',
      label: 'AC output (kW)',
      kind: 'number',
      range: [0.001, 1000],
      required: 'Enter the AC output',
      half: true,
    },
    {
      name: 'modulesPerUnit',
      label: 'Modules per micro',
      kind: 'integer',
      range: [1, 4],
      hint: 'Microinverters only',
      half: true,
    },
  ],
  BATTERY: [
    {
      name: 'kwh',
      label: 'Usable energy (kWh)',
      kind: 'number',
      range: [0.001, 1000],
      required: 'Enter the kWh',
      half: true,
    },
    { name: 'powerKw', label: 'Power (kW)', kind: 'number', range: [0.001, 1000], half: true },
  ],
  OPTIMIZER: [{ name: 'watts', label: 'Rated input (W)', kind: 'integer', range: [1, 2000] }],
  RACKING: [],
};

export const equipmentFields = (kind: EquipmentKind): FieldSpec[] => [...COMMON, ...RATINGS[kind], ITC];

/** The item as a whole input (the API saves items whole): its kind, id and every field its kind has. */
export function equipmentInput(item: EquipmentItem): Record<string, unknown> {
  const input: Record<string, unknown> = { id: item.id, kind: item.kind };
  for (const f of equipmentFields(item.kind)) {
    const v = (item as unknown as Record<string, unknown>)[f.name];
    if (v !== null && v !== undefined) input[f.name] = v;
  }
  return input;
}

/** "410 W", "0.325 kW AC micro", "13.5 kWh / 11.5 kW": the rating a list shows. */
export function rating(item: EquipmentItem): string {
  switch (item.kind) {
    case 'MODULE':
    case 'OPTIMIZER':
      return item.watts ? `${item.watts} W` : '';
    case 'INVERTER':
      return [item.acKw != null ? `${item.acKw} kW AC` : '', item.inverterType ?? '']
        .filter(Boolean)
        .join(' ');
    case 'BATTERY':
      return [item.kwh != null ? `${item.kwh} kWh` : '', item.powerKw != null ? `${item.powerKw} kW` : '']
        .filter(Boolean)
        .join(' / ');
    default:
      return '';
  }
}
