/**
 * The GraphQL operations of the leads screens, as plain strings: urql parses them in the browser with its own
 * small parser, so no GraphQL library ships to the client.
 */
const SUMMARY_FIELDS = `
  id fullName email phone company city region source status monthlyBill createdAt
`;

export const LEADS_QUERY = `
  query Leads($first: Int!, $after: String, $filter: LeadFilter) {
    leads(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { ${SUMMARY_FIELDS} } }
    }
  }
`;

export const LEAD_QUERY = `
  query Lead($id: ID!) {
    lead(id: $id) {
      ${SUMMARY_FIELDS}
      firstName lastName street postalCode country notes ownerId updatedAt
    }
  }
`;

export const CREATE_LEAD_MUTATION = `
  mutation CreateLead($input: CreateLeadInput!) {
    createLead(input: $input) { lead { ${SUMMARY_FIELDS} } }
  }
`;
