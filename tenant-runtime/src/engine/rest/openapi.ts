import { z } from 'zod';
import type { RestRoute } from './rest-route.js';

type JsonSchema = Record<string, unknown>;

const ERROR_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', description: 'Stable machine code, e.g. VALIDATION_FAILED, NOT_FOUND' },
        message: { type: 'string' },
        fields: {
          type: 'object',
          description: 'VALIDATION_FAILED only: field path → messages',
          additionalProperties: { type: 'array', items: { type: 'string' } },
        },
      },
    },
  },
};

const ERRORS: Record<string, string> = {
  '400': 'Invalid request: see error.fields',
  '401': 'Missing or invalid token',
  '403': 'Not allowed for this member',
  '404': 'Absent, or outside what the caller may see',
};

/** A zod schema as JSON Schema 2020-12 (OpenAPI 3.1's dialect); what clients send, or what they receive. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: ref('Error') } },
});

/** The OpenAPI 3.1 document for the REST routes, generated from their zod schemas. */
export function buildOpenApi(routes: readonly RestRoute[]): JsonSchema {
  const schemas: Record<string, JsonSchema> = { Error: ERROR_SCHEMA };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const parameters: unknown[] = [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
      name,
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    if (route.query instanceof z.ZodObject)
      for (const [name, field] of Object.entries(route.query.shape as Record<string, z.ZodType>))
        parameters.push({
          name,
          in: 'query',
          required: !field.safeParse(undefined).success,
          schema: jsonSchema(field, 'input'),
          ...(field.description ? { description: field.description } : {}),
        });
    const errors: Record<string, unknown> = Object.fromEntries(
      Object.entries(ERRORS).map(([status, text]) => [status, errorResponse(text)]),
    );
    if (route.method === 'GET') {
      parameters.push(header('If-None-Match', 'An ETag from an earlier GET: 304 when unchanged'));
      errors['304'] = { description: 'Not modified since the given ETag' };
    }
    if (route.method === 'PATCH' || route.method === 'DELETE') {
      parameters.push(header('If-Match', 'Only change the resource if it still has this ETag'));
      errors['412'] = errorResponse('The resource changed since the given ETag');
    }
    if (route.method === 'POST') {
      parameters.push(header('Idempotency-Key', 'Retrying with the same key returns the first answer'));
      errors['409'] = errorResponse('A request with this key is still running');
      errors['422'] = errorResponse('The key was already used for a different request');
    }
    const operation: Record<string, unknown> = {
      operationId: route.operationId,
      tags: [route.tag],
      summary: route.summary,
      parameters,
    };
    if (route.body) {
      const name = `${route.operationId[0]!.toUpperCase()}${route.operationId.slice(1)}Body`;
      schemas[name] = jsonSchema(route.body, 'input');
      operation.requestBody = { required: true, content: { 'application/json': { schema: ref(name) } } };
    }
    const status = String(route.status ?? 200);
    let success: Record<string, unknown> = { description: 'No content' };
    if (route.response && route.responseName) {
      schemas[route.responseName] = jsonSchema(route.response, 'output');
      success = {
        description: 'OK',
        headers: route.method === 'DELETE' ? {} : { ETag: { schema: { type: 'string' } } },
        content: { 'application/json': { schema: ref(route.responseName) } },
      };
    }
    operation.responses = { [status]: success, ...errors };
    (paths[route.path] ??= {})[route.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Solar CRM tenant API', version: '1.0.0' },
    servers: [{ url: '/api/v1' }],
    security: [{ bearer: [] }],
    paths,
    components: {
      schemas,
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    },
  };
}

const header = (name: string, description: string) => ({
  name,
  in: 'header',
  required: false,
  description,
  schema: { type: 'string' },
});
