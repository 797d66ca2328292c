import { invalidateAll } from '$app/navigation';
import type { Client } from '@urql/svelte';
import { mutate } from './mutate.js';

/**
 * The actions on a list's rows (switch off, replace a key, delete…): one at a time, `busy` naming the one
 * running, `error` what the API refused (every message in one line, above the list), and the page's data
 * reloaded after each success.
 */
export function rowActions(client: Client) {
  let busy: string | null = $state(null);
  let error: string | null = $state(null);
  return {
    get busy() {
      return busy;
    },
    get error() {
      return error;
    },
    /** Runs `document` for the row `key`; its data, or null when refused (or another action is running). */
    async run<T>(key: string, document: string, variables: Record<string, unknown>): Promise<T | null> {
      if (busy) return null;
      busy = key;
      error = null;
      const result = await mutate<T>(client, document, variables);
      busy = null;
      if (!result.ok) {
        error = [...Object.values(result.errors.fields), result.errors.form].filter(Boolean).join(' ');
        return null;
      }
      await invalidateAll();
      return result.data;
    },
  };
}
