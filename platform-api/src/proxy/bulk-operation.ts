import { Kind, parse, type OperationDefinitionNode } from 'graphql';

/**
 * Whether a GraphQL POST body is a bulk operation allowed past the default body limit: one mutation whose
 * root fields are all in `fields` (the lead CSV import, `importLeads`). Anything else that large — another
 * mutation carrying a huge variable, a batch, a persisted query without its text — is not.
 */
export function isBulkOperation(body: Buffer, fields: ReadonlySet<string>): boolean {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    return false;
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return false;
  const { query, operationName } = json as { query?: unknown; operationName?: unknown };
  if (typeof query !== 'string') return false;
  let operations: OperationDefinitionNode[];
  try {
    operations = parse(query, { noLocation: true }).definitions.filter(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    );
  } catch {
    return false;
  }
  const operation =
    typeof operationName === 'string'
      ? operations.find((o) => o.name?.value === operationName)
      : operations.length === 1
        ? operations[0]
        : undefined;
  if (!operation || operation.operation !== 'mutation') return false;
  const selections = operation.selectionSet.selections;
  return selections.length > 0 && selections.every((s) => s.kind === Kind.FIELD && fields.has(s.name.value));
}
