import type { Row } from '../../engine/data/data-access.js';
import type { Account, AccountKind, Contact, RoofType, Site, Shading } from './customer-schema.js';

/** Rows → API shapes. DECIMALs arrive as strings (no cents lost in transit) and become numbers here. */

const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export function toAccount(row: Row): Account {
  return {
    id: String(row['id']),
    kind: String(row['kind']) as AccountKind,
    name: String(row['name']),
    billingStreet: text(row['billing_street']),
    billingCity: text(row['billing_city']),
    billingRegion: text(row['billing_region']),
    billingPostalCode: text(row['billing_postal_code']),
    billingCountry: String(row['billing_country']),
    sourceLeadId: text(row['source_lead_id']),
    ownerId: text(row['owner_id']),
    unitId: text(row['unit_id']),
    createdAt: row['created_at'] as Date,
    updatedAt: row['updated_at'] as Date,
  };
}

export function toContact(row: Row): Contact {
  const firstName = String(row['first_name']);
  const lastName = String(row['last_name']);
  return {
    id: String(row['id']),
    accountId: String(row['account_id']),
    firstName,
    lastName,
    fullName: `${firstName} ${lastName}`,
    email: text(row['email']),
    phone: text(row['phone']),
    title: text(row['title']),
    isPrimary: Boolean(row['is_primary']),
    createdAt: row['created_at'] as Date,
    updatedAt: row['updated_at'] as Date,
  };
}

export function toSite(row: Row): Site {
  return {
    id: String(row['id']),
    accountId: String(row['account_id']),
    label: String(row['label']),
    street: text(row['street']),
    city: text(row['city']),
    region: text(row['region']),
    postalCode: text(row['postal_code']),
    country: String(row['country']),
    latitude: num(row['latitude']),
    longitude: num(row['longitude']),
    utility: text(row['utility']),
    meterNumber: text(row['meter_number']),
    roofType: text(row['roof_type']) as RoofType | null,
    roofPitchDeg: num(row['roof_pitch_deg']),
    roofAzimuthDeg: num(row['roof_azimuth_deg']),
    shading: text(row['shading']) as Shading | null,
    annualUsageKwh: num(row['annual_usage_kwh']),
    averageMonthlyBill: num(row['average_monthly_bill']),
    createdAt: row['created_at'] as Date,
    updatedAt: row['updated_at'] as Date,
  };
}

/** API field → column, for contact updates. */
export const CONTACT_COLUMNS: Record<string, string> = {
  firstName: 'first_name',
  lastName: 'last_name',
  email: 'email',
  phone: 'phone',
  title: 'title',
  isPrimary: 'is_primary',
};

/** API field → column, for site inserts and updates. */
export const SITE_COLUMNS: Record<string, string> = {
  label: 'label',
  street: 'street',
  city: 'city',
  region: 'region',
  postalCode: 'postal_code',
  country: 'country',
  latitude: 'latitude',
  longitude: 'longitude',
  utility: 'utility',
  meterNumber: 'meter_number',
  roofType: 'roof_type',
  roofPitchDeg: 'roof_pitch_deg',
  roofAzimuthDeg: 'roof_azimuth_deg',
  shading: 'shading',
  annualUsageKwh: 'annual_usage_kwh',
  averageMonthlyBill: 'average_monthly_bill',
};

/** API field → column, for account updates. */
export const ACCOUNT_COLUMNS: Record<string, string> = {
  kind: 'kind',
  name: 'name',
  billingStreet: 'billing_street',
  billingCity: 'billing_city',
  billingRegion: 'billing_region',
  billingPostalCode: 'billing_postal_code',
  billingCountry: 'billing_country',
};

/** Maps the defined fields of `input` to columns (undefined = unchanged; null clears). */
export function patchOf(input: Record<string, unknown>, columns: Record<string, string>): Row {
  const patch: Row = {};
  for (const [field, value] of Object.entries(input)) {
    const column = columns[field];
    if (column && value !== undefined) patch[column] = value;
  }
  return patch;
}
