/** The lead fields a CSV column can fill (the createLead input). */
export const IMPORT_FIELDS = [
  'firstName',
  'lastName',
  'email',
  'phone',
  'company',
  'street',
  'city',
  'region',
  'postalCode',
  'country',
  'source',
  'monthlyBill',
  'notes',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** Header spellings seen in CRM and spreadsheet exports, compared without case, spaces or punctuation. */
const ALIASES: Record<ImportField, string[]> = {
  firstName: ['firstname', 'first', 'givenname', 'forename', 'fname'],
  lastName: ['lastname', 'last', 'surname', 'familyname', 'lname'],
  email: ['email', 'emailaddress', 'mail'],
  phone: [
    'phone',
    'phonenumber',
    'mobile',
    'mobilephone',
    'cell',
    'cellphone',
    'telephone',
    'tel',
    'homephone',
  ],
  company: ['company', 'companyname', 'organization', 'organisation', 'business'],
  street: ['street', 'streetaddress', 'address', 'address1', 'addressline1', 'street1'],
  city: ['city', 'town', 'locality'],
  region: ['region', 'state', 'province', 'stateprovince', 'stateorprovince'],
  postalCode: ['postalcode', 'postcode', 'zip', 'zipcode', 'postal'],
  country: ['country', 'countrycode'],
  source: ['source', 'leadsource', 'channel'],
  monthlyBill: [
    'monthlybill',
    'bill',
    'electricbill',
    'monthlyelectricbill',
    'averagemonthlybill',
    'avgmonthlybill',
    'utilitybill',
    'powerbill',
  ],
  notes: ['notes', 'note', 'comments', 'comment', 'description'],
};
const BY_ALIAS = new Map(
  Object.entries(ALIASES).flatMap(([field, aliases]) =>
    aliases.map((a) => [a, field as ImportField] as const),
  ),
);

export const headerKey = (h: string) => h.toLowerCase().replace(/[^a-z0-9]/g, '');

export interface HeaderMapping {
  /** per column index: the field it fills, or null when ignored */
  columns: Array<ImportField | null>;
  /** field → the header as written in the file */
  mapped: Partial<Record<ImportField, string>>;
  /** headers that match no field (ignored, reported so the user can rename them) */
  unknown: string[];
  /** a second column for an already mapped field (ignored, reported) */
  repeated: string[];
}

export function mapHeader(header: readonly string[]): HeaderMapping {
  const mapping: HeaderMapping = { columns: [], mapped: {}, unknown: [], repeated: [] };
  for (const raw of header) {
    const name = raw.trim();
    const field = BY_ALIAS.get(headerKey(name)) ?? null;
    if (field && mapping.mapped[field] === undefined) {
      mapping.mapped[field] = name;
      mapping.columns.push(field);
      continue;
    }
    mapping.columns.push(null);
    if (field) mapping.repeated.push(name);
    else if (name) mapping.unknown.push(name);
  }
  return mapping;
}

/** How a user names a field in a message: "First name". */
export function fieldLabel(field: ImportField): string {
  const words = field.replace(/([A-Z])/g, ' $1').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
