import { GraphQLError, GraphQLScalarType, Kind } from '../../engine/graphql/graphql-lib.js';
import { isoDate } from './opportunity-schema.js';

function parseDate(value: unknown): string {
  const parsed = isoDate.safeParse(value);
  if (!parsed.success) throw new GraphQLError('Date must be a calendar date like 2026-12-31');
  return parsed.data;
}

/** Calendar dates without a time or zone (expected close dates), as YYYY-MM-DD strings. */
export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: 'A calendar date without time or zone, as YYYY-MM-DD, e.g. 2026-12-31.',
  serialize: (value) => (value instanceof Date ? value.toISOString().slice(0, 10) : parseDate(value)),
  parseValue: parseDate,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('Date must be a string like 2026-12-31');
    return parseDate(ast.value);
  },
});
