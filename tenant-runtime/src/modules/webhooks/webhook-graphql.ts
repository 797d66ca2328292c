import type { GraphQLContext, GraphQLModule } from '../../engine/graphql/context.js';
import type { Webhook } from './webhook-schema.js';
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listWebhooks,
  recentDeliveries,
  rotateWebhookSecret,
  updateWebhook,
  type WebhookDeps,
} from './webhook-service.js';

/** The webhook admin API (administrators only); built with the platform key that seals the secrets. */
export function webhooksGraphQL(deps: WebhookDeps): GraphQLModule {
  return {
    name: 'webhooks',
    typeDefs: /* GraphQL */ `
      "Whether a webhook is receiving deliveries."
      enum WebhookStatus {
        "Deliveries are sent."
        ACTIVE
        "No deliveries are sent (paused by an administrator, or its owner was disabled)."
        PAUSED
      }

      "Where one delivery stands."
      enum WebhookDeliveryStatus {
        "Queued, not yet attempted."
        PENDING
        "An attempt failed; another will follow with backoff."
        RETRYING
        "The receiver answered 2xx."
        SUCCEEDED
        "Every attempt failed."
        FAILED
        "Not sent: the record is not visible to the webhook's owner, or no longer exists."
        SKIPPED
        "Not sent: the webhook was paused (or its owner disabled) when it came up."
        PAUSED
      }

      "An endpoint of another system that is told about changes, signed with the webhook's secret."
      type Webhook {
        "The webhook's id."
        id: ID!
        "Where deliveries are POSTed."
        url: String!
        "Event types it receives: e.g. lead.created, lead.* or *."
        events: [String!]!
        "What it is for."
        description: String!
        "Whether deliveries are sent."
        status: WebhookStatus!
        "Why it is paused; null when active."
        pausedReason: String
        "The member who created it: payloads show the data as that member sees it. A deletion (lead.deleted, activity.deleted) is sent, without the record and with deleted: true, when that member could see the record before it went."
        createdBy: ID!
        "When it was created."
        createdAt: DateTime!
        "When it last changed."
        updatedAt: DateTime!
        "Its most recent deliveries, newest first."
        deliveries("How many (1–100)." first: Int = 20): [WebhookDelivery!]!
      }

      "One event sent (or to be sent) to one webhook."
      type WebhookDelivery {
        "The delivery's id."
        id: ID!
        "The event's id (header Solar-Event-Id)."
        eventId: ID!
        "The event's type (header Solar-Event-Type)."
        eventType: String!
        "Where it stands."
        status: WebhookDeliveryStatus!
        "HTTP attempts made so far."
        attempts: Int!
        "The receiver's HTTP status on the last attempt; null if it did not answer."
        responseStatus: Int
        "Why the last attempt failed; null when it did not."
        lastError: String
        "When it was queued."
        createdAt: DateTime!
        "When it last changed."
        updatedAt: DateTime!
        "When the receiver accepted it; null until then."
        deliveredAt: DateTime
      }

      "A webhook with its signing secret: shown only in this answer, store it now."
      type WebhookWithSecret {
        "The webhook."
        webhook: Webhook!
        "The signing secret: Solar-Signature is HMAC-SHA256 of '<t>.<body>' with it."
        secret: String!
      }

      "A new webhook."
      input CreateWebhookInput {
        "Where to POST; https in production, public addresses only."
        url: String!
        "Event types to receive: e.g. lead.created, lead.* or * (1–50)."
        events: [String!]!
        "What it is for (up to 500 characters)."
        description: String
      }

      "Changes to a webhook; omitted fields stay."
      input UpdateWebhookInput {
        "Where to POST."
        url: String
        "Event types to receive."
        events: [String!]
        "What it is for."
        description: String
        "false pauses deliveries, true resumes them."
        active: Boolean
      }

      "The result of deleteWebhook."
      type DeleteWebhookPayload {
        "Id of the removed webhook."
        id: ID!
      }

      extend type Query {
        "Every webhook of the workspace (administrators)."
        webhooks: [Webhook!]!
        "One webhook; null when there is none with this id."
        webhook("The webhook's id." id: ID!): Webhook
      }

      extend type Mutation {
        "Register a webhook acting as you; the answer carries its signing secret, shown once."
        createWebhook("The webhook." input: CreateWebhookInput!): WebhookWithSecret!
        "Change a webhook, or pause/resume it."
        updateWebhook("The webhook's id." id: ID!, "The changes." input: UpdateWebhookInput!): Webhook!
        "Remove a webhook and its delivery history."
        deleteWebhook("The webhook's id." id: ID!): DeleteWebhookPayload!
        "Replace a webhook's signing secret; the new one is shown once."
        rotateWebhookSecret("The webhook's id." id: ID!): WebhookWithSecret!
      }
    `,
    resolvers: {
      Webhook: {
        deliveries: (w: Webhook, args: { first: number }, { requestContext }: GraphQLContext) =>
          recentDeliveries(requestContext, w.id, args.first),
      },
      Query: {
        webhooks: (_: unknown, __: unknown, { requestContext }: GraphQLContext) =>
          listWebhooks(requestContext),
        webhook: (_: unknown, args: { id: string }, { requestContext }: GraphQLContext) =>
          getWebhook(requestContext, args.id),
      },
      Mutation: {
        createWebhook: (_: unknown, args: { input: unknown }, { requestContext }: GraphQLContext) =>
          createWebhook(requestContext, deps, args.input),
        updateWebhook: (
          _: unknown,
          args: { id: string; input: unknown },
          { requestContext }: GraphQLContext,
        ) => updateWebhook(requestContext, deps, args.id, args.input),
        deleteWebhook: async (_: unknown, args: { id: string }, { requestContext }: GraphQLContext) => ({
          id: await deleteWebhook(requestContext, args.id),
        }),
        rotateWebhookSecret: (_: unknown, args: { id: string }, { requestContext }: GraphQLContext) =>
          rotateWebhookSecret(requestContext, deps, args.id),
      },
    },
  };
}
