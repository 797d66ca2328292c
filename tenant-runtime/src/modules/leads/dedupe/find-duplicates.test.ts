import { describe, expect, it } from 'vitest';
import { findDuplicates } from './find-duplicates.js';

const existing = [
  {
    id: 'L1',
    firstName: 'Jane',
    lastName: 'Doe',
    email: 'janedoe@gmail.com',
    phone: null,
    street: '12 W Elm St',
    postalCode: '85004',
    country: 'US',
  },
  {
    id: 'L2',
    firstName: 'John',
    lastName: 'Doe',
    email: 'john@doe.family',
    phone: '602-555-0142',
    street: '12 West Elm Street',
    postalCode: '85004',
    country: 'US',
  },
  {
    id: 'L3',
    firstName: 'Rita',
    lastName: 'Moreno',
    email: 'rita@example.com',
    phone: '480 555 0111',
    street: '9 Oak Ave',
    postalCode: '85251',
    country: 'US',
  },
  {
    id: 'L4',
    firstName: 'Bob',
    lastName: 'Stone',
    email: null,
    phone: null,
    street: '12 W Elm St',
    postalCode: '85004',
    country: 'US',
  },
];

describe('findDuplicates', () => {
  it('finds the same person behind a different spelling of the email, with reasons', () => {
    const matches = findDuplicates(
      { firstName: 'jane', lastName: 'DOE', email: 'Jane.Doe+solar@gmail.com', country: 'US' },
      existing,
    );
    expect(matches).toEqual([
      {
        lead: existing[0],
        confidence: 0.96,
        matchedOn: ['email'],
        reasons: ['Same email (janedoe@gmail.com)', 'Same name (Jane Doe)'],
      },
    ]);
  });

  it('ranks by confidence: phone + address + name above a household member at the same address', () => {
    const matches = findDuplicates(
      {
        firstName: 'Johnny',
        lastName: 'Doe',
        phone: '(602) 555 0142',
        street: '12 W. Elm St.',
        postalCode: '85004-0001',
        country: 'US',
      },
      existing,
    );
    expect(matches.map((m) => [m.lead.id, m.confidence, m.matchedOn])).toEqual([
      ['L2', 0.96, ['phone', 'address']],
      ['L1', 0.65, ['address']],
    ]);
    expect(matches[1]!.reasons).toEqual(['Same address (12 w elm st, US, 85004)', 'Same last name (Doe)']);
    // Bob Stone lives at the same address but shares nothing else: a new owner, not a duplicate
    expect(matches.some((m) => m.lead.id === 'L4')).toBe(false);
  });

  it('lowers confidence when a shared contact point belongs to someone with another name', () => {
    const [match] = findDuplicates(
      { firstName: 'Maria', lastName: 'Lopez', phone: '+1 480 555 0111' },
      existing,
    );
    expect(match).toMatchObject({
      confidence: 0.64,
      reasons: ['Same phone (+14805550111)', 'Different names (Maria Lopez vs Rita Moreno)'],
    });
    expect(
      findDuplicates({ firstName: 'Maria', lastName: 'Lopez', phone: '+1 480 555 0111' }, existing, 0.7),
    ).toEqual([]);
  });

  it('finds nothing from a name alone, or when the lead is compared with itself', () => {
    expect(findDuplicates({ firstName: 'Jane', lastName: 'Doe' }, existing)).toEqual([]);
    expect(findDuplicates(existing[2]!, existing)).toEqual([]);
  });
});
