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
      contacts { id fullName email phone title isPrimary }
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
