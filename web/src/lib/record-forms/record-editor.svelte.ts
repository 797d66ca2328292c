import type { MutationResult } from '$lib/graphql/mutate';
import type { FieldSpec } from './record-fields';

/** One add-or-edit a screen opens in its record drawer: what it asks, and how it saves. */
export interface RecordEdit {
  title: string;
  description?: string | undefined;
  fields: readonly FieldSpec[];
  /** the record as it is, to edit; null to add one */
  record: object | null;
  submitLabel: string;
  /** the toast once saved */
  done: string;
  save: (input: Record<string, unknown>) => Promise<MutationResult<unknown>>;
}

/**
 * The state of a screen's record drawer (RecordEditorDrawer.svelte): which add or edit is open. A screen with
 * several kinds of record (a customer, its contacts, its sites) opens them all through one drawer.
 */
export function recordEditor() {
  let editing: RecordEdit | null = $state(null);
  let open = $state(false);
  return {
    get editing() {
      return editing;
    },
    get open() {
      return open;
    },
    set open(value: boolean) {
      open = value;
    },
    edit(next: RecordEdit) {
      editing = next;
      open = true;
    },
  };
}
export type RecordEditor = ReturnType<typeof recordEditor>;
