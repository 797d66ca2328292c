/** Colour theme chosen in the top bar; `system` follows prefers-color-scheme. */
export type ThemePreference = 'system' | 'light' | 'dark';
export const THEME_COOKIE = 'solar_theme';
export const THEMES: readonly ThemePreference[] = ['system', 'light', 'dark'];

export function parseTheme(value: string | null | undefined): ThemePreference {
  return THEMES.includes(value as ThemePreference) ? (value as ThemePreference) : 'system';
}

/** The one after `current` in the toggle's cycle. */
export function nextTheme(current: ThemePreference): ThemePreference {
  return THEMES[(THEMES.indexOf(current) + 1) % THEMES.length] ?? 'system';
}

/** A year; not HttpOnly because the toggle updates it in the browser without a round trip. */
export const THEME_COOKIE_MAX_AGE = 60 * 60 * 24 * 365;
