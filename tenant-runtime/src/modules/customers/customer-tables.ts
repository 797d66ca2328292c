import { defineTable } from '../../engine/data/table.js';

/*
 * Customers are row-scoped by `customers:<action>:<scope>`. Contacts and sites carry their account's owner
 * and unit (customer-repository keeps them in step), so the same scope hides an account's contacts and
 * sites exactly when it hides the account.
 */
export const accountsTable = defineTable({
  name: 'accounts',
  resource: 'customers',
  ownerColumn: 'owner_id',
  unitColumn: 'unit_id',
  unitClosure: 'accounts_in_units',
});
export const contactsTable = defineTable({
  name: 'contacts',
  resource: 'customers',
  ownerColumn: 'owner_id',
  unitColumn: 'unit_id',
});
export const sitesTable = defineTable({
  name: 'sites',
  resource: 'customers',
  ownerColumn: 'owner_id',
  unitColumn: 'unit_id',
});
