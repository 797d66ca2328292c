import { badRequest, ApiError } from './api-status.js';
import { clone, deepEqual, isObject } from './json.js';

/** RFC 7386 JSON merge patch: objects merge key by key, null deletes, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return clone(patch);
  const out = isObject(target) ? clone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

interface Operation {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  from?: string;
  value?: unknown;
}

const unprocessable = (message: string) => new ApiError(422, 'Invalid', message);

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw badRequest(`invalid JSON pointer "${pointer}"`);
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

type Container = Record<string, unknown> | unknown[];

/** Walks to the parent of the pointer's last token. */
function parentOf(doc: unknown, tokens: string[], pointer: string): { parent: Container; key: string } {
  let cur: unknown = doc;
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(t)];
    else if (isObject(cur)) cur = cur[t];
    else cur = undefined;
    if (cur === undefined) throw unprocessable(`jsonpatch: path ${pointer} does not exist`);
  }
  if (!Array.isArray(cur) && !isObject(cur)) throw unprocessable(`jsonpatch: path ${pointer} does not exist`);
  return { parent: cur, key: tokens[tokens.length - 1] ?? '' };
}

function get(doc: unknown, pointer: string): unknown {
  let cur: unknown = doc;
  for (const t of parsePointer(pointer)) {
    if (Array.isArray(cur)) cur = cur[Number(t)];
    else if (isObject(cur)) cur = cur[t];
    else return undefined;
  }
  return cur;
}

function arrayIndex(arr: unknown[], key: string, forAdd: boolean, pointer: string): number {
  if (forAdd && key === '-') return arr.length;
  const i = Number(key);
  const max = forAdd ? arr.length : arr.length - 1;
  if (!/^(0|[1-9]\d*)$/.test(key) || i > max)
    throw unprocessable(`jsonpatch: index out of range at ${pointer}`);
  return i;
}

function remove(doc: unknown, pointer: string): unknown {
  const { parent, key } = parentOf(doc, parsePointer(pointer), pointer);
  if (Array.isArray(parent)) return parent.splice(arrayIndex(parent, key, false, pointer), 1)[0];
  if (!Object.hasOwn(parent, key))
    throw unprocessable(`jsonpatch remove operation does not apply: doc is missing key: ${pointer}`);
  const v = parent[key];
  delete parent[key];
  return v;
}

function add(doc: unknown, pointer: string, value: unknown): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return clone(value);
  const { parent, key } = parentOf(doc, tokens, pointer);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, true, pointer), 0, clone(value));
  else parent[key] = clone(value);
  return doc;
}

/** RFC 6902 JSON patch; a failing `test` or a missing path is a 422, like the API server. */
export function jsonPatch(target: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations)) throw badRequest('json patch body must be an array of operations');
  let doc = clone(target);
  for (const raw of operations) {
    if (!isObject(raw) || typeof raw.op !== 'string' || typeof raw.path !== 'string') {
      throw badRequest('json patch operations need "op" and "path"');
    }
    const op = raw as unknown as Operation;
    switch (op.op) {
      case 'add':
        doc = add(doc, op.path, op.value);
        break;
      case 'remove':
        remove(doc, op.path);
        break;
      case 'replace':
        if (get(doc, op.path) === undefined) {
          throw unprocessable(`jsonpatch replace operation does not apply: doc is missing key: ${op.path}`);
        }
        if (op.path === '') doc = clone(op.value);
        else {
          remove(doc, op.path);
          doc = add(doc, op.path, op.value);
        }
        break;
      case 'move': {
        const v = remove(doc, op.from ?? '');
        doc = add(doc, op.path, v);
        break;
      }
      case 'copy': {
        const v = get(doc, op.from ?? '');
        if (v === undefined)
          throw unprocessable(`jsonpatch copy operation does not apply: missing ${op.from}`);
        doc = add(doc, op.path, v);
        break;
      }
      case 'test':
        if (!deepEqual(get(doc, op.path), op.value)) {
          throw unprocessable(
            `the server rejected our request due to an error in our request: test failed at ${op.path}`,
          );
        }
        break;
      default:
        throw badRequest(`unknown json patch operation "${String((raw as { op: unknown }).op)}"`);
    }
  }
  return doc;
}
