import { GraphQLError, GraphQLScalarType, Kind } from '../../engine/graphql/graphql-lib.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface ValueNode {
  kind: string;
  value?: string | boolean;
  name?: { value: string };
  values?: readonly ValueNode[];
  fields?: ReadonlyArray<{ name: { value: string }; value: ValueNode }>;
}

function fromLiteral(node: ValueNode, variables: Record<string, unknown> | null | undefined): Json {
  switch (node.kind) {
    case Kind.STRING:
    case Kind.ENUM:
      return String(node.value);
    case Kind.BOOLEAN:
      return node.value === true;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(node.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return (node.values ?? []).map((v) => fromLiteral(v, variables));
    case Kind.OBJECT:
      return Object.fromEntries(
        (node.fields ?? []).map((f) => [f.name.value, fromLiteral(f.value, variables)]),
      );
    case Kind.VARIABLE:
      return (variables?.[node.name!.value] ?? null) as Json;
    default:
      throw new GraphQLError('JSONObject cannot represent this value');
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A JSON object (settings such as scoring rules); its shape is checked by the service's zod schema. */
export const JSONObjectScalar = new GraphQLScalarType<Record<string, unknown>, Record<string, unknown>>({
  name: 'JSONObject',
  description: 'A JSON object.',
  serialize(value) {
    if (!isObject(value)) throw new GraphQLError('JSONObject cannot represent a non-object value');
    return value;
  },
  parseValue(value) {
    if (!isObject(value)) throw new GraphQLError('JSONObject must be an object');
    return value;
  },
  parseLiteral(ast, variables) {
    const value = fromLiteral(ast as unknown as ValueNode, variables);
    if (!isObject(value)) throw new GraphQLError('JSONObject must be an object');
    return value;
  },
});
