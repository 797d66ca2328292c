import type { Logger } from '$lib/server/logger';
import type { Session } from '$lib/server/session';
import type { ThemePreference } from '$lib/theme';

// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
  namespace App {
    interface Error {
      message: string;
      /** Machine-readable reason, e.g. UNKNOWN_WORKSPACE; the error page picks its wording by it. */
      code?: string;
    }
    interface Locals {
      requestId: string;
      /** Tenant slug from the host (or DEFAULT_TENANT); null when the request names no workspace. */
      tenant: string | null;
      theme: ThemePreference;
      /** The `solar_session` token on this request, if any; never sent to the browser's JS. */
      sessionToken: string | null;
      log: Logger;
      /** Memoised /auth/session answer for this request. */
      session?: Promise<Session | null>;
    }
    interface PageData {
      theme?: ThemePreference;
    }
  }
}

export {};
