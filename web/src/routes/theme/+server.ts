import { redirect } from '@sveltejs/kit';
import { safeNext } from '$lib/safe-next';
import { parseTheme, THEME_COOKIE, THEME_COOKIE_MAX_AGE } from '$lib/theme';
import type { RequestHandler } from './$types';

/** The theme toggle without JavaScript: store the choice, then back to the page it was made on. */
export const POST: RequestHandler = async ({ request, cookies, url }) => {
  const form = await request.formData();
  const theme = parseTheme(String(form.get('theme') ?? ''));
  cookies.set(THEME_COOKIE, theme, {
    path: '/',
    httpOnly: false,
    sameSite: 'lax',
    secure: url.protocol === 'https:',
    maxAge: THEME_COOKIE_MAX_AGE,
  });
  redirect(303, safeNext(String(form.get('redirectTo') ?? ''), '/'));
};
