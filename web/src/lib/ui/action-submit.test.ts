import type { ActionResult, SubmitFunction } from '@sveltejs/kit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { actionSubmit } from './action-submit.js';

type Input = Parameters<SubmitFunction>[0];
type After = Exclude<Awaited<ReturnType<SubmitFunction>>, void>;

/** Submits like SvelteKit's enhance does: the before-callback, then (unless cancelled) the answer. */
async function submitForm(submit: SubmitFunction, result: ActionResult, confirmText?: string) {
  let cancelled = false;
  let updated = false;
  const input = {
    cancel: () => {
      cancelled = true;
    },
    submitter: confirmText ? ({ dataset: { confirm: confirmText } } as unknown as HTMLElement) : null,
  } as unknown as Input;
  const after = (await submit(input)) as After | void;
  if (!cancelled && after) {
    await after({
      result,
      update: async () => {
        updated = true;
      },
    } as unknown as Parameters<After>[0]);
  }
  return { cancelled, updated };
}

describe('settings forms submitted with JavaScript', () => {
  const busy: (string | null)[] = [];
  const said: string[] = [];
  const submit = actionSubmit({ setBusy: (key) => busy.push(key), onDone: (m) => said.push(m) });

  afterEach(() => {
    busy.length = 0;
    said.length = 0;
    vi.unstubAllGlobals();
  });

  it('shows the form as busy until the answer, updates the page, and says what was done', async () => {
    const outcome = await submitForm(submit('invite'), {
      type: 'success',
      status: 200,
      data: { done: 'Sent' },
    });
    expect(outcome).toEqual({ cancelled: false, updated: true });
    expect(busy).toEqual(['invite', null]);
    expect(said).toEqual(['Sent']);
  });

  it('says nothing when the action failed: its message shows inline instead', async () => {
    await submitForm(submit('sso'), { type: 'failure', status: 400, data: { done: 'not this' } });
    expect(busy).toEqual(['sso', null]);
    expect(said).toEqual([]);
  });

  it('runs the success hook only on success', async () => {
    let closed = 0;
    const closing = actionSubmit({ setBusy: () => {}, onDone: () => {}, onSuccess: () => closed++ });
    await submitForm(closing('create'), { type: 'failure', status: 400 });
    expect(closed).toBe(0);
    await submitForm(closing('create'), { type: 'success', status: 200 });
    expect(closed).toBe(1);
  });

  it('asks first when the button carries data-confirm, and sends nothing if the user declines', async () => {
    vi.stubGlobal('confirm', () => false);
    const declined = await submitForm(submit('s1'), { type: 'success', status: 200 }, 'Sign out?');
    expect(declined).toEqual({ cancelled: true, updated: false });
    expect(busy).toEqual([]);

    vi.stubGlobal('confirm', () => true);
    const accepted = await submitForm(submit('s1'), { type: 'success', status: 200 }, 'Sign out?');
    expect(accepted).toEqual({ cancelled: false, updated: true });
  });
});
