/** The GraphQL operations of the pipeline and customer screens, as plain strings (see lead-documents.ts). */
export const STAGE_FIELDS = 'id name position probability kind';
export const CARD_FIELDS = `
  id name amount systemSizeKw probability expectedCloseDate ownerId
  stage { id } account { id name }
`;

export const PIPELINE_QUERY = `
  query PipelineBoard($first: Int!, $after: String) {
    pipelineStages { ${STAGE_FIELDS} }
    opportunities(first: $first, after: $after, sort: { field: EXPECTED_CLOSE }) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { ${CARD_FIELDS} } }
    }
  }
`;

export const MOVE_OPPORTUNITY_MUTATION = `
  mutation MoveOpportunity($id: ID!, $stageId: ID!, $reason: String) {
    moveOpportunity(id: $id, stageId: $stageId, reason: $reason) { opportunity { ${CARD_FIELDS} } }
  }
`;

export const ACCOUNTS_QUERY = `
  query Accounts($first: Int!, $after: String, $filter: AccountFilter) {
    accounts(first: $first, after: $after, filter: $filter, sort: { field: NAME }) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          id kind name billingCity billingRegion ownerId createdAt
          primaryContact { fullName email phone }
        }
      }
    }
  }
`;

export const ACCOUNT_QUERY = `
  query Account($id: ID!) {
    account(id: $id) {
      id kind name billingStreet billingCity billingRegion billingPostalCode billingCountry
      sourceLeadId ownerId unitId createdAt
      contacts { id firstName lastName fullName email phone title isPrimary }
      sites {
        id label street city region postalCode country latitude longitude utility meterNumber
        roofType roofPitchDeg roofAzimuthDeg shading annualUsageKwh averageMonthlyBill
      }
    }
  }
`;

export const ACCOUNT_OPPORTUNITIES_QUERY = `
  query AccountOpportunities($id: ID!) {
    pipelineStages { ${STAGE_FIELDS} }
    opportunities(first: 50, filter: { accountId: $id }) {
      edges { node { ${CARD_FIELDS} } }
    }
  }
`;

export const CONVERT_LEAD_MUTATION = `
  mutation ConvertLead($input: ConvertLeadInput!) {
    convertLead(input: $input) { account { id name } opportunity { id name } }
  }
`;

export const ACTIVITY_FIELDS = `
  id subjectType subjectId subjectName parentId kind title body callOutcome durationSeconds emailDirection startsAt endsAt dueAt done createdBy createdAt
`;

export const PROPOSAL_SUMMARY_FIELDS = `
  id version status frozen allowedActions supersededByVersion validUntil sentAt decidedAt
  systemKwDc systemKwAc annualKwh productionSource createdAt
  price { contractPrice netCost grossPerWatt }
  financing { kind label monthlyPayment }
`;

/** Everything the opportunity page shows: the deal, its customer and site, proposals and timeline. */
export const OPPORTUNITY_QUERY = `
  query Opportunity($id: ID!) {
    pipelineStages { ${STAGE_FIELDS} }
    opportunity(id: $id) {
      ${CARD_FIELDS}
      weightedAmount lostReason closedAt unitId createdAt updatedAt
      site { id label street city region postalCode latitude longitude roofPitchDeg roofAzimuthDeg annualUsageKwh }
      lead { id }
      stageHistory { id fromStage { id } toStage { id } reason changedBy changedAt }
    }
    proposals(opportunityId: $id) { ${PROPOSAL_SUMMARY_FIELDS} }
    timeline(subjectType: OPPORTUNITY, subjectId: $id, first: 20) {
      totalCount
      edges { node { ${ACTIVITY_FIELDS} } }
    }
  }
`;

export const CREATE_OPPORTUNITY_MUTATION = `
  mutation CreateOpportunity($input: CreateOpportunityInput!) {
    createOpportunity(input: $input) { opportunity { id } }
  }
`;

export const UPDATE_OPPORTUNITY_MUTATION = `
  mutation UpdateOpportunity($id: ID!, $input: UpdateOpportunityInput!) {
    updateOpportunity(id: $id, input: $input) { opportunity { id } }
  }
`;

/** Logs a call, email, meeting, note or task on any sales record. */
export const LOG_ACTIVITY_MUTATION = `
  mutation LogActivity($input: LogActivityInput!) { logActivity(input: $input) { id } }
`;

/** A lead's or customer's own timeline (calls, emails, meetings, notes, tasks on the record). */
export const RECORD_ACTIVITY_QUERY = `
  query RecordActivity($type: ActivitySubjectType!, $id: ID!) {
    timeline(subjectType: $type, subjectId: $id, first: 20) {
      totalCount
      edges { node { ${ACTIVITY_FIELDS} } }
    }
  }
`;

/** Every proposal version of several opportunities in one round trip (one aliased field per opportunity). */
export function proposalsOfOpportunitiesQuery(count: number): string {
  const vars = Array.from({ length: count }, (_, i) => `$o${i}: ID!`).join(', ');
  const fields = Array.from(
    { length: count },
    (_, i) => `p${i}: proposals(opportunityId: $o${i}) { ${PROPOSAL_SUMMARY_FIELDS} }`,
  ).join('\n');
  return `query ProposalsOfOpportunities(${vars}) { ${fields} }`;
}
