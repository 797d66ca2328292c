import { describe, expect, it } from 'vitest';
import { deliveryOutcome, eventsOf, newWebhookDraft } from './webhooks.js';

describe('the new-webhook form', () => {
  it('subscribes to ticked records and typed events once each, or to everything', () => {
    const draft = {
      ...newWebhookDraft(),
      records: ['lead.*'],
      exact: 'Opportunity.moved, lead.*  proposal.sent',
    };
    expect(eventsOf(draft)).toEqual(['lead.*', 'opportunity.moved', 'proposal.sent']);
    expect(eventsOf({ ...draft, everything: true })).toEqual(['*']);
    expect(eventsOf(newWebhookDraft())).toEqual([]);
  });

  it('says how a delivery went', () => {
    const d = {
      id: 'd',
      eventType: 'lead.created',
      attempts: 1,
      responseStatus: 204,
      lastError: null,
      createdAt: '2026-11-24T00:00:00Z',
      deliveredAt: '2026-11-24T00:00:01Z',
    };
    expect(deliveryOutcome({ ...d, status: 'SUCCEEDED' })).toBe('Delivered (204)');
    expect(deliveryOutcome({ ...d, status: 'FAILED', attempts: 8 })).toBe('Failed after 8 attempts');
    expect(deliveryOutcome({ ...d, status: 'SKIPPED' })).toMatch(/not visible/);
  });
});
