export interface ToastItem {
  id: number;
  message: string;
  tone: 'success' | 'error' | 'info';
}

let nextId = 1;

/** The toasts on screen, newest last; rendered once by <Toaster/> in the root layout. */
export const toasts: ToastItem[] = $state([]);

/** Shows a short message for a few seconds (errors stay a little longer). */
export function toast(
  message: string,
  tone: ToastItem['tone'] = 'success',
  ms = tone === 'error' ? 7000 : 4000,
) {
  const id = nextId++;
  toasts.push({ id, message, tone });
  setTimeout(() => dismiss(id), ms);
}

export function dismiss(id: number) {
  const index = toasts.findIndex((t) => t.id === id);
  if (index !== -1) toasts.splice(index, 1);
}
