import { Conflict, NotFound, ValidationFailed } from '@solar/common';
import { v7 as uuidv7 } from 'uuid';
import type { RequestContext } from '../../engine/context.js';
import type { Row } from '../../engine/data/data-access.js';
import { originOf, recordEvent } from '../../engine/outbox/record-event.js';
import { UUID } from '../../engine/validation/fields.js';
import { customerRepository } from '../customers/customer-repository.js';
import { ROOF_TYPES, SHADING_LEVELS, type Account, type Site } from '../customers/customer-schema.js';
import { toAccount, toSite } from '../customers/customer-rows.js';
import { sitesTable } from '../customers/customer-tables.js';
import { convertLeadInputSchema, type Opportunity } from '../opportunities/opportunity-schema.js';
import { firstOpenStage, insertOpportunity } from '../opportunities/opportunity-service.js';
import { loadStages } from '../opportunities/pipeline-stages.js';
import { leadsTable } from './lead-repository.js';

export interface ConvertLeadOptions {
  /** defaults to the lead's company, else "<first> <last>" */
  accountName?: string | null;
  /** defaults to "<account name> solar" */
  opportunityName?: string | null;
  /** opportunity amount in cents */
  amountCents?: number | null;
}

export interface LeadConversion {
  leadId: string;
  account: Account;
  site: Site;
  opportunity: Opportunity;
}

const str = (v: unknown) => (v === null || v === undefined || v === '' ? null : String(v));
const oneOf = <T extends string>(values: readonly T[], v: unknown): T | null =>
  typeof v === 'string' && (values as readonly string[]).includes(v) ? (v as T) : null;

/**
 * Turns a lead into a customer: the account (with the lead as its primary contact), a site at the lead's
 * address, and an opportunity in the pipeline's first stage; the lead becomes `converted` and links to
 * what it became. All in ONE transaction through the data-access layer, so a failure anywhere leaves
 * nothing created and the lead unchanged. The caller must be allowed to update the lead (hidden →
 * NOT_FOUND, visible only → FORBIDDEN); converting twice → CONFLICT. The new records keep the lead's owner
 * and unit, so whoever worked the lead keeps the customer.
 */
export async function convertLead(
  rc: RequestContext,
  leadId: string,
  options: ConvertLeadOptions = {},
): Promise<LeadConversion> {
  if (!UUID.test(leadId)) throw new NotFound('No such lead');
  const result = await rc.data.transaction(async (data) => {
    // locks the lead and checks the update right before anything is written
    const lead: Row = await data.update(leadsTable, leadId, { updated_at: new Date() }, 'update');
    if (lead['status'] === 'converted') throw new Conflict('This lead is already converted');
    if (lead['status'] === 'unqualified')
      throw new Conflict('This lead is marked unqualified; qualify it before converting');
    if (str(lead['merged_into_id'])) throw new Conflict('This lead was merged into another lead');

    const customers = customerRepository(data);
    const first = String(lead['first_name']);
    const last = String(lead['last_name']);
    const company = str(lead['company']);
    const accountName = options.accountName ?? company ?? `${first} ${last}`;
    const ownerId = str(lead['owner_id']) ?? rc.actor.memberId;
    const place = { ownerId, ...(lead['unit_id'] ? { unitId: String(lead['unit_id']) } : {}) };
    const address = {
      street: str(lead['street']),
      city: str(lead['city']),
      region: str(lead['region']),
      postalCode: str(lead['postal_code']),
    };

    const accountRow = await customers.insertAccount(
      uuidv7(),
      {
        kind: company ? 'commercial' : 'residential',
        name: accountName,
        billingStreet: address.street,
        billingCity: address.city,
        billingRegion: address.region,
        billingPostalCode: address.postalCode,
        billingCountry: String(lead['country'] ?? 'US'),
      },
      { ...place, sourceLeadId: leadId, createdBy: rc.actor.memberId },
    );
    await customers.insertContact(uuidv7(), accountRow, {
      firstName: first,
      lastName: last,
      email: str(lead['email']),
      phone: str(lead['phone']),
      title: null,
      isPrimary: true,
    });
    const siteId = uuidv7();
    await customers.insertSite(siteId, accountRow, {
      label: company ? 'Main site' : 'Home',
      ...address,
      country: String(lead['country'] ?? 'US'),
      latitude: lead['latitude'] == null ? null : Number(lead['latitude']),
      longitude: lead['longitude'] == null ? null : Number(lead['longitude']),
      utility: null,
      meterNumber: null,
      roofType: oneOf(ROOF_TYPES, lead['roof_type']),
      roofPitchDeg: null,
      roofAzimuthDeg: null,
      shading: oneOf(SHADING_LEVELS, lead['shading']),
      annualUsageKwh: null,
      averageMonthlyBill: lead['monthly_bill'] == null ? null : Number(lead['monthly_bill']),
    });

    const opportunity = await insertOpportunity(data, {
      name: options.opportunityName ?? `${accountName} solar`,
      accountId: String(accountRow['id']),
      siteId,
      leadId,
      stage: firstOpenStage(await loadStages(data)),
      amountCents: options.amountCents ?? null,
      systemSizeKw: null,
      probability: null,
      expectedCloseDate: null,
      ...place,
      createdBy: rc.actor.memberId,
    });

    await data.update(
      leadsTable,
      leadId,
      {
        status: 'converted',
        converted_at: new Date(),
        converted_account_id: accountRow['id'],
        converted_opportunity_id: opportunity.id,
        updated_at: new Date(),
      },
      'update',
    );
    const site = await data.findById(sitesTable, siteId);
    await recordEvent(data, originOf(rc), {
      type: 'lead.converted',
      entityType: 'Lead',
      entityId: leadId,
      payload: { accountId: accountRow['id'], opportunityId: opportunity.id },
    });
    const origin = originOf(rc);
    await recordEvent(data, origin, {
      type: 'account.created',
      entityType: 'Account',
      entityId: String(accountRow['id']),
      payload: { sourceLeadId: leadId },
    });
    await recordEvent(data, origin, {
      type: 'opportunity.created',
      entityType: 'Opportunity',
      entityId: opportunity.id,
      payload: { stageId: opportunity.stageId, sourceLeadId: leadId },
    });
    return { leadId, account: toAccount(accountRow), site: toSite(site!), opportunity };
  });
  rc.log.info(
    { leadId, accountId: result.account.id, opportunityId: result.opportunity.id },
    'lead converted',
  );
  return result;
}

/** convertLead's GraphQL input, validated: { leadId, accountName?, opportunityName?, amount? }. */
export async function convertLeadFromInput(rc: RequestContext, raw: unknown): Promise<LeadConversion> {
  const parsed = convertLeadInputSchema.safeParse(raw);
  if (!parsed.success) throw ValidationFailed.fromZod(parsed.error, ['input']);
  const { leadId, accountName, opportunityName, amount } = parsed.data;
  return convertLead(rc, leadId, { accountName, opportunityName, amountCents: amount ?? null });
}
