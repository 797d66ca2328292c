/**
 * The GraphQL operations of the leads screens, as plain strings: urql parses them in the browser with its own
 * small parser, so no GraphQL library ships to the client.
 */
const SUMMARY_FIELDS = `
  id fullName email phone company city region source status monthlyBill createdAt ownerId unitId
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
      firstName lastName street postalCode country notes updatedAt
    }
  }
`;

export const CREATE_LEAD_MUTATION = `
  mutation CreateLead($input: CreateLeadInput!) {
    createLead(input: $input) { lead { ${SUMMARY_FIELDS} } }
  }
`;

export const UPDATE_LEAD_MUTATION = `
  mutation UpdateLead($id: ID!, $input: UpdateLeadInput!) {
    updateLead(id: $id, input: $input) {
      lead { ${SUMMARY_FIELDS} firstName lastName street postalCode country notes updatedAt }
    }
  }
`;

export const ASSIGN_LEAD_MUTATION = `
  mutation AssignLead($id: ID!, $input: AssignLeadInput!) {
    assignLead(id: $id, input: $input) { lead { ${SUMMARY_FIELDS} } }
  }
`;

export const DELETE_LEAD_MUTATION = `
  mutation DeleteLead($id: ID!) { deleteLead(id: $id) { deletedId } }
`;

export const EXPORT_LEADS_QUERY = `
  query ExportLeads($filter: LeadFilter) {
    exportLeads(filter: $filter) { filename contentType rowCount truncated csv }
  }
`;

export const LEAD_STATS_QUERY = `
  query LeadStats { leadStats { total byStatus { status count } } }
`;

/** Newest leads with just what the dashboard counts (this week, mine). */
export const RECENT_LEADS_QUERY = `
  query RecentLeads($first: Int!, $after: String) {
    leads(first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges { node { id fullName status ownerId createdAt } }
    }
  }
`;
