import type { FieldSpec } from '$lib/record-forms/record-fields';

/** The customer forms: the customer (account), a contact, a site. Names are the API's input fields. */
export const ACCOUNT_FIELDS: readonly FieldSpec[] = [
  {
    name: 'name',
    label: 'Name',
    required: 'Enter a name',
    hint: 'The household or business, e.g. Garcia household',
  },
  {
    name: 'kind',
    label: 'Kind',
    kind: 'select',
    options: [
      { value: 'RESIDENTIAL', label: 'Residential' },
      { value: 'COMMERCIAL', label: 'Commercial' },
    ],
  },
  { name: 'billingStreet', label: 'Billing street' },
  { name: 'billingCity', label: 'City', half: true },
  { name: 'billingRegion', label: 'State / region', half: true },
  { name: 'billingPostalCode', label: 'Postal code', half: true },
  { name: 'billingCountry', label: 'Country', upper: true, half: true, hint: 'Two letters, e.g. US' },
];

export const CONTACT_FIELDS: readonly FieldSpec[] = [
  { name: 'firstName', label: 'First name', required: 'Enter a first name', half: true },
  { name: 'lastName', label: 'Last name', required: 'Enter a last name', half: true },
  { name: 'email', label: 'Email', kind: 'email' },
  { name: 'phone', label: 'Phone', kind: 'tel', half: true },
  { name: 'title', label: 'Role', half: true, hint: 'e.g. Homeowner, Facilities manager' },
  { name: 'isPrimary', label: 'Primary contact', kind: 'checkbox' },
];

const ROOF_TYPES = [
  ['ASPHALT_SHINGLE', 'Asphalt shingle'],
  ['METAL', 'Metal'],
  ['TILE', 'Tile'],
  ['SLATE', 'Slate'],
  ['WOOD_SHAKE', 'Wood shake'],
  ['FLAT_MEMBRANE', 'Flat membrane'],
  ['GROUND_MOUNT', 'Ground mount'],
] as const;
const SHADING = [
  ['NONE', 'None'],
  ['LIGHT', 'Light'],
  ['MODERATE', 'Moderate'],
  ['HEAVY', 'Heavy'],
] as const;
const choices = (pairs: readonly (readonly [string, string])[]) => [
  { value: '', label: 'Not known' },
  ...pairs.map(([value, label]) => ({ value, label })),
];

export const SITE_FIELDS: readonly FieldSpec[] = [
  { name: 'label', label: 'Label', hint: 'e.g. Home, Warehouse roof' },
  { name: 'street', label: 'Street' },
  { name: 'city', label: 'City', half: true },
  { name: 'region', label: 'State / region', half: true },
  { name: 'postalCode', label: 'Postal code', half: true },
  { name: 'country', label: 'Country', upper: true, half: true },
  { name: 'latitude', label: 'Latitude', kind: 'number', range: [-90, 90], half: true },
  { name: 'longitude', label: 'Longitude', kind: 'number', range: [-180, 180], half: true },
  { name: 'utility', label: 'Utility', half: true },
  { name: 'meterNumber', label: 'Meter number', half: true },
  { name: 'roofType', label: 'Roof', kind: 'select', options: choices(ROOF_TYPES), half: true },
  { name: 'shading', label: 'Shading', kind: 'select', options: choices(SHADING), half: true },
  { name: 'roofPitchDeg', label: 'Roof pitch (°)', kind: 'number', range: [0, 90], half: true },
  {
    name: 'roofAzimuthDeg',
    label: 'Roof azimuth (°)',
    kind: 'number',
    range: [0, 359.9],
    half: true,
    hint: '180 faces south',
  },
  { name: 'annualUsageKwh', label: 'Yearly use (kWh)', kind: 'integer', range: [0, 100_000_000], half: true },
  {
    name: 'averageMonthlyBill',
    label: 'Monthly bill ($)',
    kind: 'number',
    range: [0, 1_000_000],
    half: true,
  },
];
