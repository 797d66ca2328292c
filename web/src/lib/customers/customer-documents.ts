/** The customer mutations the web app sends (adding and editing customers, their contacts and sites). */
export const CREATE_ACCOUNT_MUTATION = `
  mutation CreateAccount($input: CreateAccountInput!) { createAccount(input: $input) { account { id } } }
`;
export const UPDATE_ACCOUNT_MUTATION = `
  mutation UpdateAccount($id: ID!, $input: UpdateAccountInput!) {
    updateAccount(id: $id, input: $input) { account { id } }
  }
`;
export const ADD_CONTACT_MUTATION = `
  mutation AddContact($accountId: ID!, $input: ContactInput!) {
    addContact(accountId: $accountId, input: $input) { contact { id } }
  }
`;
export const UPDATE_CONTACT_MUTATION = `
  mutation UpdateContact($id: ID!, $input: UpdateContactInput!) {
    updateContact(id: $id, input: $input) { contact { id } }
  }
`;
export const REMOVE_CONTACT_MUTATION = `
  mutation RemoveContact($id: ID!) { removeContact(id: $id) { deletedId } }
`;
export const ADD_SITE_MUTATION = `
  mutation AddSite($accountId: ID!, $input: SiteInput!) {
    addSite(accountId: $accountId, input: $input) { site { id } }
  }
`;
export const UPDATE_SITE_MUTATION = `
  mutation UpdateSite($id: ID!, $input: UpdateSiteInput!) { updateSite(id: $id, input: $input) { site { id } } }
`;
export const REMOVE_SITE_MUTATION = `
  mutation RemoveSite($id: ID!) { removeSite(id: $id) { deletedId } }
`;
