import { createRequire } from 'node:module';
import { buildSchema as buildRuntimeSchema } from '@solar/tenant-runtime/engine/graphql/schema';
import { realtimeGraphQL } from '@solar/tenant-runtime/engine/realtime/realtime-graphql';
import { graphqlModules, recordSources } from '@solar/tenant-runtime/modules/index';
import { webhooksGraphQL } from '@solar/tenant-runtime/modules/webhooks/webhook-graphql';
import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';

/*
 * Every GraphQL document the web app sends, checked against the tenant schema the runtime builds — so a
 * renamed field or a wrong payload name fails here, not on a screen. Documents are the exported strings of
 * the modules below that start with query, mutation or subscription; documents built by a function
 * (aliased batches) are checked through one call each.
 */
const modules = import.meta.glob(
  [
    '../*/*-documents.ts',
    '../leads/scoring-rules.ts',
    '../leads/assignment-rules.ts',
    '../leads/lead-settings.ts',
    '../proposals/catalogue-settings.ts',
    '../sales/pipeline-settings.ts',
    '../webhooks/webhooks.ts',
    '../forms/lead-forms.ts',
    '../search/search.ts',
    '../audit/record-history.ts',
    '../live/opportunity-changes.ts',
  ],
  { eager: true },
) as Record<string, Record<string, unknown>>;

const OPERATION = /^\s*(query|mutation|subscription)\b/;
const documents = Object.entries(modules).flatMap(([file, exports]) =>
  Object.entries(exports)
    .filter((e): e is [string, string] => typeof e[1] === 'string' && OPERATION.test(e[1]))
    .map(([name, text]) => ({ name: `${file.replace('../', '')} ${name}`, text })),
);

describe("the web app's GraphQL documents", () => {
  // the runtime's schema comes from graphql's CommonJS build (through Yoga), this file's from its ES build:
  // carried across as SDL
  const { printSchema } = createRequire(import.meta.url)('graphql') as typeof import('graphql');
  // the modules app.ts adds, built with just what their types need (no resolver runs here)
  const modules = [
    ...graphqlModules,
    realtimeGraphQL({ sources: recordSources } as Parameters<typeof realtimeGraphQL>[0]),
    webhooksGraphQL({ secretKey: Buffer.alloc(32), policy: { allowPrivate: false, requireHttps: true } }),
  ];
  const schema = buildSchema(printSchema(buildRuntimeSchema(modules)));

  it('are found (the glob still matches the files that hold them)', () => {
    expect(documents.length).toBeGreaterThan(40);
  });

  it.each(documents)('$name is valid against the tenant schema', ({ text }) => {
    const errors = validate(schema, parse(text)).map((e) => e.message);
    expect(errors).toEqual([]);
  });

  it('built ones too: proposals of several deals in one request', async () => {
    const { proposalsOfOpportunitiesQuery } = await import('../sales/sales-documents.js');
    expect(validate(schema, parse(proposalsOfOpportunitiesQuery(3))).map((e) => e.message)).toEqual([]);
  });
});
