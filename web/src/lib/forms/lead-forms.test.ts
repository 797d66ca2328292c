import { describe, expect, it } from 'vitest';
import { draftOf, embedSnippet, leadFormInput, newDraft, originsFrom, publicOrigin } from './lead-forms.js';

describe('the lead form editor', () => {
  it('takes sites as typed — page addresses, commas, repeats — and sends their origins', () => {
    expect(
      originsFrom('https://www.sunny.example/quote/\nhttps://www.sunny.example, http://localhost:5173/x'),
    ).toEqual(['https://www.sunny.example', 'http://localhost:5173']);
    // left as typed, for the API to name in its field message
    expect(originsFrom('sunny.example')).toEqual(['sunny.example']);
  });

  it('asks each field not at all, optionally or as required, and sends both lists in order', () => {
    const draft = newDraft();
    draft.asks.ROOF_TYPE = 'required';
    draft.asks.PHONE = 'no';
    draft.origins = 'https://www.sunny.example';
    expect(leadFormInput(draft)).toMatchObject({
      ownerId: null,
      allowedOrigins: ['https://www.sunny.example'],
      fields: ['EMAIL', 'POSTAL_CODE', 'MONTHLY_BILL', 'ROOF_TYPE'],
      requiredFields: ['EMAIL', 'ROOF_TYPE'],
    });
  });

  it('reads a stored form back into the same input', () => {
    const input = leadFormInput({
      ...newDraft(),
      ownerId: 'm-1',
      origins: 'https://a.example\nhttps://b.example',
    });
    const stored = {
      id: 'f',
      keyPrefix: 'fk_abc',
      enabled: true,
      createdAt: '2026-11-24T00:00:00Z',
      ...(input as Omit<Parameters<typeof draftOf>[0], 'id' | 'keyPrefix' | 'enabled' | 'createdAt'>),
    };
    expect(leadFormInput(draftOf(stored))).toEqual(input);
  });

  it('points the embed script at the workspace’s public origin', () => {
    expect(publicOrigin('http://{tenant}.localhost:4000', 'acme', 'http://acme.localhost:3000')).toBe(
      'http://acme.localhost:4000',
    );
    expect(publicOrigin(undefined, 'acme', 'https://acme.solarcrm.io')).toBe('https://acme.solarcrm.io');
    expect(embedSnippet('<form></form>', 'https://acme.solarcrm.io')).toBe(
      '<form></form>\n<script src="https://acme.solarcrm.io/forms/embed.js" async></script>',
    );
  });
});
