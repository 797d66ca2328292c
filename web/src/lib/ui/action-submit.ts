import type { SubmitFunction } from '@sveltejs/kit';

export interface ActionSubmitOptions {
  /** Which form is waiting for its answer (its key), or null once it has one: drives the button spinners. */
  setBusy: (key: string | null) => void;
  /** Tells the user what was done (the action's `done` message), usually `toast`. */
  onDone: (message: string) => void;
  /** Also on success, e.g. close the disclosure the form sat in. */
  onSuccess?: () => void;
}

/**
 * `use:enhance` for a settings screen's forms: the submitting form shows as busy, the page's data and `form`
 * answer update as without JavaScript (so messages stay inline), and a successful action's `done` message is
 * announced. A submit button with `data-confirm` asks first.
 */
export function actionSubmit({ setBusy, onDone, onSuccess }: ActionSubmitOptions) {
  return (key: string): SubmitFunction =>
    ({ cancel, submitter }) => {
      const question = submitter?.dataset['confirm'];
      if (question && !confirm(question)) return cancel();
      setBusy(key);
      return async ({ result, update }) => {
        await update();
        setBusy(null);
        if (result.type !== 'success') return;
        onSuccess?.();
        const done = result.data?.['done'];
        if (typeof done === 'string') onDone(done);
      };
    };
}
