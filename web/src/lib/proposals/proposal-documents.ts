import { PROPOSAL_SUMMARY_FIELDS, STAGE_FIELDS } from '../sales/sales-documents.js';

/** The proposal builder's GraphQL operations, as plain strings (see lib/sales/sales-documents.ts). */
export const CATALOGUE_FIELDS = `
  id kind manufacturer model unitCost unitPrice itcEligible watts acKw inverterType kwh powerKw
`;

const OPPORTUNITY_FOR_PROPOSAL = `
  id name stage { id } account { id name }
  site { id label street city region postalCode latitude longitude roofPitchDeg roofAzimuthDeg annualUsageKwh }
`;

export const PROPOSAL_QUERY = `
  query Proposal($id: ID!) {
    pipelineStages { ${STAGE_FIELDS} }
    equipmentCatalogue { ${CATALOGUE_FIELDS} }
    proposal(id: $id) {
      ${PROPOSAL_SUMMARY_FIELDS}
      inputs warnings productionAssumptions
      opportunity { ${OPPORTUNITY_FOR_PROPOSAL} }
    }
  }
`;

export const NEW_PROPOSAL_QUERY = `
  query NewProposal($opportunityId: ID!) {
    equipmentCatalogue { ${CATALOGUE_FIELDS} }
    opportunity(id: $opportunityId) { ${OPPORTUNITY_FOR_PROPOSAL} }
    proposals(opportunityId: $opportunityId) { id version }
  }
`;

/** For the printable view: the stored inputs and who and where it is for. */
export const PRINT_PROPOSAL_QUERY = `
  query PrintProposal($id: ID!) {
    proposal(id: $id) {
      id version createdAt sentAt validUntil inputs
      opportunity { name account { name } site { street city region postalCode } }
    }
  }
`;

const PAYLOAD = `proposal { id version status }`;

export const CREATE_PROPOSAL_MUTATION = `
  mutation CreateProposal($opportunityId: ID!, $input: ProposalInput!) {
    createProposal(opportunityId: $opportunityId, input: $input) { ${PAYLOAD} }
  }
`;
export const UPDATE_PROPOSAL_MUTATION = `
  mutation UpdateProposal($id: ID!, $input: ProposalInput!) {
    updateProposal(id: $id, input: $input) { ${PAYLOAD} }
  }
`;
export const NEW_PROPOSAL_VERSION_MUTATION = `
  mutation NewProposalVersion($id: ID!, $input: ProposalInput) {
    newProposalVersion(id: $id, input: $input) { ${PAYLOAD} }
  }
`;
/** send / accept / reject, by the action's name */
export const PROPOSAL_ACTION_MUTATIONS = {
  SEND: `mutation SendProposal($id: ID!) { sendProposal(id: $id) { ${PAYLOAD} } }`,
  ACCEPT: `mutation AcceptProposal($id: ID!) { acceptProposal(id: $id) { ${PAYLOAD} } }`,
  REJECT: `mutation RejectProposal($id: ID!) { rejectProposal(id: $id) { ${PAYLOAD} } }`,
} as const;
