import { describe, expect, it } from 'vitest';
import {
  isPlausibleToken,
  readSetCookie,
  sessionCookieOptions,
  SESSION_COOKIE,
  upstreamCookieHeader,
} from './session-cookie.js';
import { nextTheme, parseTheme } from '../theme.js';
import { safeNext, signInUrl } from '../safe-next.js';

const token = 'abcDEF0123456789_-abcdef0123456789';

describe('readSetCookie', () => {
  it('reads the session token and lifetime platform-api sets on sign-in', () => {
    const headers = [
      'other=1; Path=/',
      `${SESSION_COOKIE}=${token}; Path=/; Max-Age=43200; Expires=Tue, 24 Nov 2026 20:00:00 GMT; HttpOnly; SameSite=Lax`,
    ];
    expect(readSetCookie(headers, SESSION_COOKIE)).toEqual({ value: token, maxAge: 43200 });
  });

  it('derives the lifetime from Expires when Max-Age is missing', () => {
    const now = Date.parse('2026-11-24T08:00:00Z');
    const header = `${SESSION_COOKIE}=${token}; Path=/; Expires=Tue, 24 Nov 2026 09:00:00 GMT`;
    expect(readSetCookie([header], SESSION_COOKIE, now)).toEqual({ value: token, maxAge: 3600 });
  });

  it('reports a cleared cookie as value "" with maxAge 0', () => {
    const header = `${SESSION_COOKIE}=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT`;
    expect(readSetCookie([header], SESSION_COOKIE)).toEqual({ value: '', maxAge: 0 });
  });

  it('answers null when the cookie is not among the headers', () => {
    expect(readSetCookie(['solar_sessionx=1', 'theme=dark'], SESSION_COOKIE)).toBeNull();
    expect(readSetCookie([], SESSION_COOKIE)).toBeNull();
  });
});

describe('session cookie flags on the web origin', () => {
  it('is HttpOnly, SameSite=Lax, Path=/ and Secure only over https', () => {
    expect(sessionCookieOptions(new URL('https://acme.solarcrm.io/sign-in'), 60)).toEqual({
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: true,
      maxAge: 60,
    });
    expect(sessionCookieOptions(new URL('http://acme.localhost:3000/sign-in')).secure).toBe(false);
  });

  it('forwards only a well-formed session token upstream', () => {
    expect(upstreamCookieHeader(token)).toBe(`${SESSION_COOKIE}=${token}`);
    expect(upstreamCookieHeader(null)).toBeUndefined();
    expect(upstreamCookieHeader('short')).toBeUndefined();
    expect(isPlausibleToken(`${token}; admin=1`)).toBe(false);
    expect(isPlausibleToken(`${token}\r\nX-Evil: 1`)).toBe(false);
  });
});

describe('theme cookie', () => {
  it('accepts only known themes and cycles system → light → dark → system', () => {
    expect(parseTheme('dark')).toBe('dark');
    expect(parseTheme('purple')).toBe('system');
    expect(parseTheme(undefined)).toBe('system');
    expect(nextTheme('system')).toBe('light');
    expect(nextTheme('light')).toBe('dark');
    expect(nextTheme('dark')).toBe('system');
  });
});

describe('where to go after signing in', () => {
  it('keeps paths on this origin and refuses everything else', () => {
    expect(safeNext('/leads/123?tab=notes')).toBe('/leads/123?tab=notes');
    expect(safeNext(null)).toBe('/leads');
    expect(safeNext('https://evil.example/')).toBe('/leads');
    expect(safeNext('//evil.example/')).toBe('/leads');
    expect(safeNext('/\\evil.example/')).toBe('/leads');
    expect(safeNext('/sign-in?next=/leads')).toBe('/leads');
  });

  it('remembers the page a signed-out visitor asked for', () => {
    expect(signInUrl(new URL('http://acme.localhost/leads/42?x=1'))).toBe(
      '/sign-in?next=%2Fleads%2F42%3Fx%3D1',
    );
    expect(signInUrl(new URL('http://acme.localhost/leads'))).toBe('/sign-in');
  });
});
