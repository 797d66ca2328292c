/**
 * What a cached answer is about, as tags an invalidation can name: `Lead:123` for an entity, `Lead:*` for a
 * list that holds leads (a new or deleted lead changes it). They come from the upstream's `X-Cache-Tags`
 * header (space or comma separated) and from every `{ __typename, id }` object in a JSON body.
 */
export const CACHE_TAGS_HEADER = 'x-cache-tags';

const TAG_PATTERN = /^[A-Z][A-Za-z0-9]{0,63}:(?:[A-Za-z0-9_-]{1,128}|\*)$/;
/** Answers naming more entities than this are left uncached rather than indexed under every one. */
export const MAX_TAGS = 500;

export function tagsFromHeader(value: string | number | string[] | undefined): string[] {
  if (value === undefined) return [];
  const text = Array.isArray(value) ? value.join(' ') : String(value);
  return text.split(/[\s,]+/).filter((tag) => TAG_PATTERN.test(tag));
}

export function tagsFromJson(json: unknown): Set<string> {
  const tags = new Set<string>();
  const walk = (value: unknown, inList: boolean, depth: number) => {
    if (depth > 64 || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (const item of value) walk(item, true, depth + 1);
      return;
    }
    const record = value as Record<string, unknown>;
    const type = record['__typename'];
    const id = record['id'];
    if (typeof type === 'string' && (typeof id === 'string' || typeof id === 'number')) {
      const entity = `${type}:${id}`;
      if (TAG_PATTERN.test(entity)) tags.add(entity);
      if (inList && TAG_PATTERN.test(`${type}:*`)) tags.add(`${type}:*`);
    }
    for (const child of Object.values(record)) walk(child, inList, depth + 1);
  };
  walk(json, false, 0);
  return tags;
}
