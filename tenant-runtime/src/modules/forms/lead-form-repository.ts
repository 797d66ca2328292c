import type { DataAccess, Row } from '../../engine/data/data-access.js';
import type { LeadSource } from '../leads/lead-schema.js';
import type { CreateLeadFormInput, FormField, LeadForm, UpdateLeadFormInput } from './lead-form-schema.js';

/** Workspace configuration, not row-scoped: the service lets only administrators reach it. */
const FORMS = 'lead_forms';
const DAYS = 'lead_form_days';

const json = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

function toLeadForm(r: Row): LeadForm {
  return {
    id: String(r['id']),
    name: String(r['name']),
    keyPrefix: String(r['key_prefix']),
    defaultSource: r['default_source'] as LeadSource,
    ownerId: (r['owner_id'] as string | null) ?? null,
    allowedOrigins: json<string[]>(r['allowed_origins']),
    fields: json<FormField[]>(r['fields']),
    requiredFields: json<FormField[]>(r['required_fields']),
    minFillSeconds: Number(r['min_fill_seconds']),
    dailyCap: Number(r['daily_cap']),
    enabled: Boolean(r['enabled']),
    createdBy: String(r['created_by']),
    createdAt: r['created_at'] as Date,
    updatedAt: r['updated_at'] as Date,
  };
}

export function leadFormRepository(data: DataAccess) {
  return {
    async list(): Promise<LeadForm[]> {
      return ((await data.unscoped(FORMS).orderBy('id', 'asc')) as Row[]).map(toLeadForm);
    },
    async findById(id: string): Promise<LeadForm | null> {
      const row = (await data.unscoped(FORMS).where({ id }).first()) as Row | undefined;
      return row ? toLeadForm(row) : null;
    },
    async findByKeyHash(hash: string): Promise<LeadForm | null> {
      const row = (await data.unscoped(FORMS).where({ key_hash: hash }).first()) as Row | undefined;
      return row ? toLeadForm(row) : null;
    },
    async insert(
      id: string,
      input: CreateLeadFormInput,
      key: { hash: string; prefix: string },
      createdBy: string,
    ): Promise<void> {
      await data.unscoped(FORMS).insert({
        id,
        name: input.name,
        key_hash: key.hash,
        key_prefix: key.prefix,
        default_source: input.defaultSource,
        owner_id: input.ownerId ?? null,
        allowed_origins: JSON.stringify(input.allowedOrigins),
        fields: JSON.stringify(input.fields),
        required_fields: JSON.stringify(input.requiredFields),
        min_fill_seconds: input.minFillSeconds,
        daily_cap: input.dailyCap,
        created_by: createdBy,
      });
    },
    async update(
      id: string,
      patch: UpdateLeadFormInput & { key?: { hash: string; prefix: string } },
    ): Promise<void> {
      const row: Row = { updated_at: new Date() };
      if (patch.name !== undefined) row['name'] = patch.name;
      if (patch.defaultSource !== undefined) row['default_source'] = patch.defaultSource;
      if (patch.ownerId !== undefined) row['owner_id'] = patch.ownerId;
      if (patch.allowedOrigins !== undefined) row['allowed_origins'] = JSON.stringify(patch.allowedOrigins);
      if (patch.fields !== undefined) row['fields'] = JSON.stringify(patch.fields);
      if (patch.requiredFields !== undefined) row['required_fields'] = JSON.stringify(patch.requiredFields);
      if (patch.minFillSeconds !== undefined) row['min_fill_seconds'] = patch.minFillSeconds;
      if (patch.dailyCap !== undefined) row['daily_cap'] = patch.dailyCap;
      if (patch.enabled !== undefined) row['enabled'] = patch.enabled;
      if (patch.key) Object.assign(row, { key_hash: patch.key.hash, key_prefix: patch.key.prefix });
      await data.unscoped(FORMS).where({ id }).update(row);
    },
    /** Counts one submission against the form's UTC day and returns the day's count so far. */
    async countSubmission(formId: string, day: string): Promise<number> {
      await data
        .unscoped(DAYS)
        .insert({ form_id: formId, day, submissions: 1 })
        .onConflict(['form_id', 'day'])
        .merge({ submissions: data.unscoped(DAYS).client.raw('submissions + 1') });
      const row = (await data.unscoped(DAYS).where({ form_id: formId, day }).first('submissions')) as
        { submissions: number } | undefined;
      return Number(row?.submissions ?? 0);
    },
  };
}
