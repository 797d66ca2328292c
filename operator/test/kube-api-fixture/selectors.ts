import { badRequest } from './api-status.js';
import { child, type JsonObject } from './json.js';

/** Kubernetes label selector syntax: `a=b`, `a==b`, `a!=b`, `a`, `!a`, `a in (x,y)`, `a notin (x)`. */
export type Matcher = (labels: Record<string, string>) => boolean;

function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) parts.push(cur);
  return parts.map((p) => p.trim()).filter(Boolean);
}

function requirement(expr: string): Matcher {
  let m = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(expr);
  if (m) {
    const [, key = '', op, list = ''] = m;
    const values = list.split(',').map((v) => v.trim());
    return op === 'in'
      ? (l) => l[key] !== undefined && values.includes(l[key])
      : (l) => l[key] === undefined || !values.includes(l[key]);
  }
  m = /^([\w./-]+)\s*(==|=|!=)\s*([\w.-]*)$/.exec(expr);
  if (m) {
    const [, key = '', op, value] = m;
    return op === '!=' ? (l) => l[key] !== value : (l) => l[key] === value;
  }
  m = /^(!?)([\w./-]+)$/.exec(expr);
  if (m) {
    const [, not, key = ''] = m;
    return not ? (l) => l[key] === undefined : (l) => l[key] !== undefined;
  }
  throw badRequest(`unable to parse requirement: ${JSON.stringify(expr)}`);
}

export function parseLabelSelector(selector: string | null): Matcher {
  if (!selector) return () => true;
  const reqs = splitTopLevel(selector).map(requirement);
  return (labels) => reqs.every((r) => r(labels));
}

/** Field selectors on metadata.name / metadata.namespace, the ones every resource supports. */
export function parseFieldSelector(selector: string | null): (obj: JsonObject) => boolean {
  if (!selector) return () => true;
  const reqs = splitTopLevel(selector).map((expr) => {
    const m = /^(metadata\.name|metadata\.namespace)\s*(==|=|!=)\s*(.*)$/.exec(expr);
    if (!m) throw badRequest(`field label not supported: ${expr}`);
    const [, field = '', op, value] = m;
    const key = field.split('.')[1] ?? '';
    return (obj: JsonObject) => {
      const actual = child(obj, 'metadata')?.[key] ?? '';
      return op === '!=' ? actual !== value : actual === value;
    };
  });
  return (obj) => reqs.every((r) => r(obj));
}

export const labelsOf = (obj: JsonObject): Record<string, string> =>
  (child(obj, 'metadata')?.labels as Record<string, string> | undefined) ?? {};
