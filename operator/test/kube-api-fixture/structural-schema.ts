import type { StatusCause } from './api-status.js';
import { deepEqual, isObject, type JsonObject } from './json.js';

/**
 * The part of OpenAPI v3 a CRD's structural schema may use that the fixture enforces: pruning, defaulting,
 * and validation with the API server's cause reasons and messages. Unknown keywords and CEL rules other than
 * `self == oldSelf` make compileSchema throw, so a schema never looks enforced when it is not.
 */

interface SchemaNode {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  description?: string;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  items?: SchemaNode;
  required?: string[];
  enum?: unknown[];
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  nullable?: boolean;
  default?: unknown;
  anyOf?: SchemaNode[];
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-validations'?: { rule: string; message?: string }[];
}

const knownKeywords = new Set([
  'type',
  'description',
  'properties',
  'additionalProperties',
  'items',
  'required',
  'enum',
  'pattern',
  'format',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'minItems',
  'maxItems',
  'nullable',
  'default',
  'anyOf',
  'x-kubernetes-int-or-string',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-validations',
]);
const supportedRules = new Set(['self == oldSelf']);
const supportedFormats = new Set(['date-time', 'int64', 'int32']);
const rfc3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

export interface StructuralSchema {
  /** Drops fields the schema does not know (as the API server does), in place. */
  prune(obj: JsonObject): void;
  /** Fills in `default`s for missing fields of objects that are present, in place. */
  applyDefaults(obj: JsonObject): void;
  /** Every violation, with `old` enabling transition rules (`self == oldSelf`) on update. */
  validate(obj: JsonObject, old?: JsonObject): StatusCause[];
}

function check(node: unknown, path: string): SchemaNode {
  if (!isObject(node)) throw new Error(`schema at ${path} is not an object`);
  for (const key of Object.keys(node)) {
    if (!knownKeywords.has(key))
      throw new Error(`schema keyword ${key} at ${path} is not supported by the fixture`);
  }
  const n = node as SchemaNode;
  for (const v of n['x-kubernetes-validations'] ?? []) {
    if (!supportedRules.has(v.rule.trim()))
      throw new Error(`CEL rule "${v.rule}" at ${path} is not supported`);
  }
  if (n.format && !supportedFormats.has(n.format))
    throw new Error(`format ${n.format} at ${path} is not supported`);
  for (const [k, p] of Object.entries(n.properties ?? {})) check(p, `${path}.${k}`);
  if (isObject(n.additionalProperties)) check(n.additionalProperties, `${path}.*`);
  if (n.items) check(n.items, `${path}[]`);
  for (const a of n.anyOf ?? []) check(a, `${path}(anyOf)`);
  return n;
}

export function compileSchema(openAPIV3Schema: Record<string, unknown>): StructuralSchema {
  const root = check(openAPIV3Schema, '<root>');
  const patterns = new Map<string, RegExp>();
  const regex = (p: string) => {
    let r = patterns.get(p);
    if (!r) patterns.set(p, (r = new RegExp(p, 'u')));
    return r;
  };

  // metadata belongs to the API server, not to the schema: never pruned, defaulted or validated here.
  const isMetadata = (node: SchemaNode, key: string) => node === root && key === 'metadata';

  function prune(node: SchemaNode, value: unknown): void {
    if (node['x-kubernetes-preserve-unknown-fields']) return;
    if (Array.isArray(value) && node.items) {
      for (const item of value) prune(node.items, item);
      return;
    }
    if (!isObject(value)) return;
    for (const key of Object.keys(value)) {
      if (isMetadata(node, key)) continue;
      if (node === root && (key === 'apiVersion' || key === 'kind')) continue;
      const sub =
        node.properties?.[key] ??
        (isObject(node.additionalProperties) ? node.additionalProperties : undefined);
      if (sub) prune(sub, value[key]);
      else if (node.additionalProperties !== true) delete value[key];
    }
  }

  function applyDefaults(node: SchemaNode, value: unknown): void {
    if (Array.isArray(value) && node.items) {
      for (const item of value) applyDefaults(node.items, item);
      return;
    }
    if (!isObject(value)) return;
    for (const [key, sub] of Object.entries(node.properties ?? {})) {
      if (isMetadata(node, key)) continue;
      if (value[key] === undefined && sub.default !== undefined) value[key] = structuredClone(sub.default);
      if (value[key] !== undefined) applyDefaults(sub, value[key]);
    }
    if (isObject(node.additionalProperties)) {
      for (const key of Object.keys(value)) {
        if (!node.properties?.[key]) applyDefaults(node.additionalProperties, value[key]);
      }
    }
  }

  function typeName(v: unknown): string {
    if (v === null) return 'null';
    if (Array.isArray(v)) return 'array';
    if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
    return typeof v;
  }

  const show = (v: unknown) => JSON.stringify(v);

  function validate(node: SchemaNode, value: unknown, old: unknown, path: string, out: StatusCause[]): void {
    const field = path;
    const invalidValue = (msg: string) =>
      out.push({ reason: 'FieldValueInvalid', field, message: `Invalid value: ${show(value)}: ${msg}` });

    if (value === null) {
      if (!node.nullable) {
        out.push({
          reason: 'FieldValueTypeInvalid',
          field,
          message: `Invalid value: "null": ${field} in body must be of type ${node.type ?? 'object'}: "null"`,
        });
      }
      return;
    }
    if (node.anyOf) {
      const ok = node.anyOf.some((branch) => {
        const sub: StatusCause[] = [];
        validate(branch, value, old, path, sub);
        return sub.length === 0;
      });
      if (!ok) invalidValue(`${field} in body must match one of the allowed schemas`);
    }
    const actual = typeName(value);
    const intOrString = node['x-kubernetes-int-or-string'] === true;
    const typeOk =
      (intOrString && (actual === 'integer' || actual === 'string')) ||
      node.type === undefined ||
      node.type === actual ||
      (node.type === 'number' && actual === 'integer');
    if (!typeOk) {
      out.push({
        reason: 'FieldValueTypeInvalid',
        field,
        message: `Invalid value: "${actual}": ${field} in body must be of type ${node.type}: "${actual}"`,
      });
      return;
    }

    if (node.enum && !node.enum.some((e) => deepEqual(e, value))) {
      out.push({
        reason: 'FieldValueNotSupported',
        field,
        message: `Unsupported value: ${show(value)}: supported values: ${node.enum.map(show).join(', ')}`,
      });
    }
    if (typeof value === 'string') {
      if (node.maxLength !== undefined && [...value].length > node.maxLength) {
        out.push({
          reason: 'FieldValueTooLong',
          field,
          message: `Too long: may not be more than ${node.maxLength} bytes`,
        });
      }
      if (node.minLength !== undefined && [...value].length < node.minLength) {
        invalidValue(`${field} in body should be at least ${node.minLength} chars long`);
      }
      if (node.pattern !== undefined && !regex(node.pattern).test(value)) {
        invalidValue(`${field} in body should match '${node.pattern}'`);
      }
      if (node.format === 'date-time' && !rfc3339.test(value)) {
        invalidValue(`${field} in body must be of type date-time: ${show(value)}`);
      }
    }
    if (typeof value === 'number') {
      if (node.minimum !== undefined && value < node.minimum) {
        invalidValue(`${field} in body should be greater than or equal to ${node.minimum}`);
      }
      if (node.maximum !== undefined && value > node.maximum) {
        invalidValue(`${field} in body should be less than or equal to ${node.maximum}`);
      }
    }
    if (Array.isArray(value)) {
      if (node.maxItems !== undefined && value.length > node.maxItems) {
        out.push({
          reason: 'FieldValueTooMany',
          field,
          message: `Too many: ${value.length}: must have at most ${node.maxItems} items`,
        });
      }
      if (node.minItems !== undefined && value.length < node.minItems) {
        invalidValue(`${field} in body should have at least ${node.minItems} items`);
      }
      const listType = node['x-kubernetes-list-type'];
      const seen: unknown[] = [];
      value.forEach((item, i) => {
        const key =
          listType === 'map' && isObject(item)
            ? Object.fromEntries((node['x-kubernetes-list-map-keys'] ?? []).map((k) => [k, item[k]]))
            : item;
        if ((listType === 'set' || listType === 'map') && seen.some((s) => deepEqual(s, key))) {
          out.push({
            reason: 'FieldValueDuplicate',
            field: `${field}[${i}]`,
            message: `Duplicate value: ${show(key)}`,
          });
        }
        seen.push(key);
        if (node.items) validate(node.items, item, undefined, `${field}[${i}]`, out);
      });
    }
    if (isObject(value)) {
      const oldObj = isObject(old) ? old : undefined;
      for (const req of node.required ?? []) {
        if (value[req] === undefined) {
          out.push({ reason: 'FieldValueRequired', field: join(field, req), message: 'Required value' });
        }
      }
      for (const [key, v] of Object.entries(value)) {
        if (isMetadata(node, key)) continue;
        const sub =
          node.properties?.[key] ??
          (isObject(node.additionalProperties) ? node.additionalProperties : undefined);
        if (sub) validate(sub, v, oldObj?.[key], join(field, key), out);
      }
    }
    // Transition rules run only on update, and only where the old object had the field (as CEL's oldSelf).
    if (old !== undefined) {
      for (const rule of node['x-kubernetes-validations'] ?? []) {
        if (rule.rule.trim() === 'self == oldSelf' && !deepEqual(value, old)) {
          invalidValue(rule.message ?? `failed rule: ${rule.rule}`);
        }
      }
    }
  }

  const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

  return {
    prune: (obj) => prune(root, obj),
    applyDefaults: (obj) => applyDefaults(root, obj),
    validate(obj, old) {
      const out: StatusCause[] = [];
      validate(root, obj, old, '', out);
      return out;
    },
  };
}
