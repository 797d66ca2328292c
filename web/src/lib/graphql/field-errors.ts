/** Field name → the message to show beside it. */
export type FieldMessages = Record<string, string>;

export interface FormErrors {
  fields: FieldMessages;
  /** Shown above the form: what is not about one field (or a field the form does not show). */
  form: string | null;
}

/** Just what we read of a GraphQL error; urql's GraphQLError and plain JSON errors both fit. */
export interface GraphqlErrorLike {
  message: string;
  extensions?: Readonly<Record<string, unknown>> | null;
}

const GENERIC = 'Something went wrong. Please try again.';

/**
 * Turns the API's validation errors (`extensions: { code: 'VALIDATION_FAILED', fields: { 'input.email': [...] } }`)
 * into one message per form field. `prefix` is the argument the form fills (`input`); `known` lists the
 * fields the form shows, so a message about any other field still reaches the user, above the form.
 */
export function fieldErrorsFromGraphql(
  errors: readonly GraphqlErrorLike[],
  options: { prefix?: string; known?: readonly string[] } = {},
): FormErrors {
  const fields: FieldMessages = {};
  const formMessages: string[] = [];
  for (const error of errors) {
    const raw = error.extensions?.['fields'];
    if (error.extensions?.['code'] === 'VALIDATION_FAILED' && isFieldMap(raw)) {
      for (const [path, messages] of Object.entries(raw)) {
        const name = stripPrefix(path, options.prefix);
        const message = messages.filter(Boolean).join(' ');
        if (!message) continue;
        if (name && (!options.known || options.known.includes(name))) fields[name] ??= message;
        else formMessages.push(name ? `${humanise(name)}: ${message}` : message);
      }
      if (Object.keys(raw).length === 0) formMessages.push(error.message);
    } else {
      formMessages.push(friendlyMessage(error));
    }
  }
  const form = formMessages.length
    ? [...new Set(formMessages)].join(' ')
    : Object.keys(fields).length
      ? null
      : errors.length
        ? GENERIC
        : null;
  return { fields, form };
}

/** The REST error shape platform-api answers with: `{ error: { code, message, fields? } }`. */
export function fieldErrorsFromRest(body: unknown, known?: readonly string[]): FormErrors {
  const error = (body as { error?: { code?: unknown; message?: unknown; fields?: unknown } } | null)?.error;
  if (!error || typeof error.message !== 'string') return { fields: {}, form: GENERIC };
  return fieldErrorsFromGraphql(
    [{ message: error.message, extensions: { code: error.code, fields: error.fields } }],
    known ? { known } : {},
  );
}

function friendlyMessage(error: GraphqlErrorLike): string {
  const code = error.extensions?.['code'];
  if (code === 'UNAUTHENTICATED') return 'Your session has ended. Sign in again to continue.';
  if (code === 'FORBIDDEN') return "You don't have permission to do that.";
  if (code === 'OUT_OF_SCOPE') {
    return `That is outside your reach: you may only assign within your own teams. (${error.message})`;
  }
  // Masked server faults say "Unexpected error."; don't echo that.
  if (!error.message || /^unexpected error/i.test(error.message)) return GENERIC;
  return error.message;
}

function isFieldMap(value: unknown): value is Record<string, string[]> {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.values(value).every((v) => Array.isArray(v) && v.every((m) => typeof m === 'string'))
  );
}

function stripPrefix(path: string, prefix: string | undefined): string {
  if (path === '_') return '';
  return prefix && path.startsWith(`${prefix}.`) ? path.slice(prefix.length + 1) : path;
}

/** postalCode → Postal code */
function humanise(name: string): string {
  const words = name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
