import { describe, expect, it } from 'vitest';
import { expiryLabel, readCredentialForm } from './credentials.js';

const form = (entries: [string, string][]) => {
  const data = new FormData();
  for (const [k, v] of entries) data.append(k, v);
  return data;
};
const now = new Date('2026-11-24T12:00:00Z');

describe('creating an API key or OAuth client', () => {
  it('sends the name, the ticked and typed scopes once each, and the expiry as a date', () => {
    const result = readCredentialForm(
      form([
        ['name', '  Website form '],
        ['scopes', 'leads:read'],
        ['scopes', 'leads:create'],
        ['otherScopes', 'forms:submit, leads:read'],
        ['expiry', '30'],
      ]),
      now,
    );
    expect(result).toEqual({
      ok: true,
      input: {
        name: 'Website form',
        scopes: ['leads:read', 'leads:create', 'forms:submit'],
        expiresAt: '2026-12-24T12:00:00.000Z',
      },
    });
  });

  it('never expires when asked', () => {
    const result = readCredentialForm(
      form([
        ['name', 'ERP'],
        ['scopes', '*'],
        ['expiry', 'never'],
      ]),
      now,
    );
    expect(result).toMatchObject({ ok: true, input: { scopes: ['*'], expiresAt: null } });
  });

  it('names every problem beside its field and keeps what was typed', () => {
    const result = readCredentialForm(
      form([
        ['name', ''],
        ['otherScopes', 'leads read, DROP'],
        ['expiry', '7'],
      ]),
      now,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.fields['name']).toMatch(/name/);
    expect(result.fields['otherScopes']).toMatch(/Not a scope: leads, read, DROP/);
    expect(result.fields['expiry']).toMatch(/expires/);
    expect(result.values.otherScopes).toBe('leads read, DROP');
  });

  it('asks for at least one scope', () => {
    const result = readCredentialForm(
      form([
        ['name', 'CI'],
        ['expiry', '90'],
      ]),
      now,
    );
    expect(result).toMatchObject({ ok: false, fields: { scopes: 'Choose at least one scope' } });
  });
});

describe('expiry in the list', () => {
  it('shows never, a date, or that it has expired', () => {
    expect(expiryLabel(null, now)).toEqual({ text: 'Never', expired: false });
    expect(expiryLabel('2027-01-05T00:00:00Z', now)).toEqual({ text: 'Jan 5, 2027', expired: false });
    expect(expiryLabel('2026-11-01T00:00:00Z', now)).toEqual({ text: 'Expired Nov 1, 2026', expired: true });
  });
});
