/*
 * graphql-js, imported so that every part of the process shares ONE copy. graphql 16 ships CJS (index.js)
 * and ESM (index.mjs) without an exports map: Node and Yoga load the CJS build, while Vite-based tooling
 * (vitest) resolves a bare 'graphql' to the ESM build. Two copies mean two GraphQLError classes and failed
 * instanceof checks (our typed errors would lose their HTTP status). Naming the file pins the CJS build.
 */
export { GraphQLError, GraphQLScalarType, Kind } from 'graphql/index.js';
