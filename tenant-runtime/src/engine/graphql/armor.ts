import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import type { Plugin } from 'graphql-yoga';
import type { GraphQLContext } from './context.js';

interface ReportingContext {
  reportError(error: Error): void;
}

/*
 * Armor's validation-rule limits throw by default, which skips validation result hooks (and so our 400
 * mapping). Reported as ordinary validation errors instead, they answer 400 like any invalid query.
 * Max tokens works while parsing, where there is no validation context; it still throws (a parse error).
 */
const report = {
  propagateOnRejection: false,
  onReject: [(ctx: ReportingContext | null, error: Error) => ctx?.reportError(error)],
};

/** Depth, cost, alias, directive and token limits on every operation. */
export function armorPlugin(options: { production: boolean }): Plugin<GraphQLContext> {
  return EnvelopArmorPlugin({
    maxDepth: { n: 8, ...report },
    costLimit: { maxCost: 5_000, ...report },
    maxAliases: { n: 15, ...report },
    maxDirectives: { n: 20, ...report },
    maxTokens: { n: 2_000 },
    // suggestions ("did you mean …") help developers and schema-probing attackers alike
    blockFieldSuggestion: { enabled: options.production },
  }) as Plugin<GraphQLContext>;
}
