import type { GraphQLContext, GraphQLModule } from '../../engine/graphql/context.js';
import { formMarkup } from './form-markup.js';
import { FORM_FIELDS, type FormField } from './lead-form-schema.js';
import { createLeadForm, listLeadForms, rotateLeadFormKey, updateLeadForm } from './lead-form-service.js';

const typeDefs = /* GraphQL */ `
  "A lead field a web form can carry besides first and last name."
  enum LeadFormField {
    "Email address."
    EMAIL
    "Phone number."
    PHONE
    "Company (commercial leads)."
    COMPANY
    "Street address."
    STREET
    "City."
    CITY
    "State or region."
    REGION
    "Postal code."
    POSTAL_CODE
    "Average monthly electricity bill, in dollars."
    MONTHLY_BILL
    "Free-text message."
    NOTES
    "Roof type."
    ROOF_TYPE
    "Roof shading."
    SHADING
    "Homeowner or renter."
    OWNERSHIP
  }

  "A web form installers embed on their own site; its submissions become leads."
  type LeadForm {
    "Form id."
    id: ID!
    "Name admins know it by, e.g. Website quote form."
    name: String!
    "The first characters of the form key, to recognise which key a site uses (the key itself is shown once)."
    keyPrefix: String!
    "Source recorded on every lead from this form."
    defaultSource: LeadSource!
    "Member who gets every lead from this form; null: the workspace assignment rules place them."
    ownerId: ID
    "Sites (origins, e.g. https://www.example.com) allowed to post the form from a browser."
    allowedOrigins: [String!]!
    "Fields the form sends besides first and last name."
    fields: [LeadFormField!]!
    "Fields that must be filled in."
    requiredFields: [LeadFormField!]!
    "Submissions sent sooner than this after the form was loaded are refused as automated."
    minFillSeconds: Int!
    "Most submissions taken per UTC day."
    dailyCap: Int!
    "Disabled forms answer 404 to visitors."
    enabled: Boolean!
    "Member the form was created by; submissions are captured on their behalf."
    createdBy: ID!
    "When it was created."
    createdAt: DateTime!
    "When it last changed."
    updatedAt: DateTime!
  }

  "A lead form with its public key, shown only when created or rotated."
  type LeadFormWithKey {
    "The form."
    form: LeadForm!
    "The public key (fk_…) for the embed snippet. Only its hash is stored: keep it now, or rotate later."
    formKey: String!
    "The <form> markup to paste on the site with the embed script (/forms/embed.js): a labelled control for each field, required ones marked."
    formHtml: String!
  }

  "A new lead form."
  input CreateLeadFormInput {
    "Name admins know it by."
    name: String!
    "Source recorded on every lead from this form."
    defaultSource: LeadSource!
    "Member who gets every lead; omit to use the workspace assignment rules."
    ownerId: ID
    "Origins allowed to post it, e.g. https://www.example.com."
    allowedOrigins: [String!]!
    "Fields besides first and last name (default: email, phone, postal code, monthly bill)."
    fields: [LeadFormField!]
    "Fields that must be filled in (default: email)."
    requiredFields: [LeadFormField!]
    "Minimum seconds between loading and sending (default 3)."
    minFillSeconds: Int
    "Most submissions per UTC day (default 500)."
    dailyCap: Int
  }

  "Changes to a lead form; omitted fields stay as they are."
  input UpdateLeadFormInput {
    "Name admins know it by."
    name: String
    "Source recorded on every lead."
    defaultSource: LeadSource
    "Member who gets every lead; null to use the assignment rules."
    ownerId: ID
    "Origins allowed to post it."
    allowedOrigins: [String!]
    "Fields besides first and last name."
    fields: [LeadFormField!]
    "Fields that must be filled in."
    requiredFields: [LeadFormField!]
    "Minimum seconds between loading and sending."
    minFillSeconds: Int
    "Most submissions per UTC day."
    dailyCap: Int
    "false takes the form offline (visitors get 404)."
    enabled: Boolean
  }

  extend type Query {
    "The workspace's web lead forms (administrators)."
    leadForms: [LeadForm!]!
  }

  extend type Mutation {
    "Create a web lead form; the answer carries its public key, shown this once."
    createLeadForm("The form." input: CreateLeadFormInput!): LeadFormWithKey!
    "Change a lead form."
    updateLeadForm("The form." id: ID!, "The changes." input: UpdateLeadFormInput!): LeadForm!
    "Replace a form's key (the old one stops working at once); the answer carries the new key."
    rotateLeadFormKey("The form." id: ID!): LeadFormWithKey!
  }
`;

type Ctx = GraphQLContext;
/** GraphQL leaves absent optional input fields out or null; the zod defaults want them undefined. */
const withoutNulls = (input: Record<string, unknown>, keepNull: readonly string[] = []) =>
  Object.fromEntries(Object.entries(input).filter(([k, v]) => v !== null || keepNull.includes(k)));

export const leadFormsGraphQL: GraphQLModule = {
  name: 'forms',
  typeDefs,
  resolvers: {
    // GraphQL shows POSTAL_CODE; the form stores postalCode
    LeadFormField: Object.fromEntries(
      FORM_FIELDS.map((f) => [f.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase(), f]),
    ),
    LeadFormWithKey: {
      formHtml: (parent: { form: { fields: FormField[]; requiredFields: FormField[] }; formKey: string }) =>
        formMarkup(parent.form, parent.formKey),
    },
    Query: {
      leadForms: (_: unknown, __: unknown, { requestContext }: Ctx) => listLeadForms(requestContext),
    },
    Mutation: {
      createLeadForm: (_: unknown, a: { input: Record<string, unknown> }, { requestContext }: Ctx) =>
        createLeadForm(requestContext, withoutNulls(a.input)),
      updateLeadForm: (
        _: unknown,
        a: { id: string; input: Record<string, unknown> },
        { requestContext }: Ctx,
      ) => updateLeadForm(requestContext, a.id, withoutNulls(a.input, ['ownerId'])),
      rotateLeadFormKey: (_: unknown, a: { id: string }, { requestContext }: Ctx) =>
        rotateLeadFormKey(requestContext, a.id),
    },
  },
};
