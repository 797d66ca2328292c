/*
 * graphql-js, imported so the whole process shares ONE copy (graphql 16 ships CJS and ESM without an exports
 * map; vitest would otherwise load the ESM build beside Yoga's CJS one and `instanceof GraphQLError` fails).
 */
export { GraphQLError, GraphQLScalarType } from 'graphql/index.js';
