import { describe, expect, it } from 'vitest';
import { addressKey, matchKeys } from './match-keys.js';
import { normalizePostcode, normalizeStreet } from './normalize-address.js';
import { normalizeEmail } from './normalize-email.js';
import { normalizePhone } from './normalize-phone.js';

describe('normalizeEmail', () => {
  it('folds case and whitespace', () => {
    expect(normalizeEmail('  Jane.Doe@Example.COM ')).toBe('jane.doe@example.com');
  });
  it('treats Gmail dots, +tags and googlemail.com as the same inbox', () => {
    for (const e of ['j.a.n.e.doe+solar@gmail.com', 'JaneDoe@googlemail.com', 'jane.doe@GMAIL.com'])
      expect(normalizeEmail(e)).toBe('janedoe@gmail.com');
  });
  it('drops +tags where the provider has sub-addresses, but keeps dots elsewhere', () => {
    expect(normalizeEmail('jane.doe+quotes@outlook.com')).toBe('jane.doe@outlook.com');
    expect(normalizeEmail('jane+doe@company.com')).toBe('jane+doe@company.com');
  });
  it('gives nothing for blanks and non-addresses', () => {
    for (const e of [null, undefined, '', '   ', 'no-at-sign', '@example.com', 'jane@', '+x@gmail.com'])
      expect(normalizeEmail(e)).toBeNull();
  });
});

describe('normalizePhone', () => {
  it('writes every spelling of a US number as one E.164 number', () => {
    for (const p of [
      '(415) 555-0100',
      '415.555.0100',
      '1-415-555-0100',
      '+1 415 555 0100',
      '4155550100 x23',
      '011 1 415 555 0100',
    ])
      expect(normalizePhone(p)).toBe('+14155550100');
  });
  it('does the same for Canada, and rejects numbers outside the North American plan', () => {
    expect(normalizePhone('604 555 0199', 'CA')).toBe('+16045550199');
    expect(normalizePhone('055 555 0100')).toBeNull(); // area code cannot start with 0
    expect(normalizePhone('415 155 0100')).toBeNull(); // nor the exchange with 1
    expect(normalizePhone('555 0100')).toBeNull(); // no area code
  });
  it('uses the country hint for national numbers elsewhere and keeps international ones as written', () => {
    expect(normalizePhone('020 7946 0958', 'GB')).toBe('+442079460958');
    expect(normalizePhone('+44 20 7946 0958')).toBe('+442079460958');
    expect(normalizePhone('0044 20 7946 0958', 'US')).toBe('+442079460958');
    expect(normalizePhone('07946 0958', 'XX')).toBeNull(); // unknown country, no "+": cannot tell
  });
});

describe('normalizeStreet and normalizePostcode', () => {
  it('reads abbreviations, directions, punctuation and unit designators alike', () => {
    const same = [
      '123 North Main Street, Apt. 4B',
      '123 N. Main St #4b',
      '123 n main st unit 4B',
      '123 N Main Street Suite 4b',
    ];
    for (const s of same) expect(normalizeStreet(s)).toBe('123 n main st unit 4b');
    expect(normalizeStreet('77 Sunset Boulevard')).toBe('77 sunset blvd');
    expect(normalizeStreet('9 Avenue Road')).toBe('9 ave rd');
    expect(normalizeStreet('  ')).toBeNull();
  });
  it('cuts ZIP+4 to the ZIP and folds other postcodes to upper case without spaces', () => {
    expect(normalizePostcode('85004-1234')).toBe('85004');
    expect(normalizePostcode('sw1a 1aa', 'GB')).toBe('SW1A1AA');
    expect(normalizePostcode('k1a 0b1', 'CA')).toBe('K1A0B1');
  });
});

describe('matchKeys', () => {
  it('gives an email, phone and address key for index lookups', () => {
    expect(
      matchKeys({
        email: 'Jane.Doe+x@gmail.com',
        phone: '(602) 555-0142',
        street: '12 W. Elm Street',
        postalCode: '85004-2211',
        country: 'US',
      }),
    ).toEqual([
      { kind: 'email', value: 'janedoe@gmail.com' },
      { kind: 'phone', value: '+16025550142' },
      { kind: 'address', value: '12 w elm st|US|85004' },
    ]);
  });
  it('leaves out what it cannot key on: no house number, no postcode or city, bad phone', () => {
    expect(matchKeys({ street: 'Elm Street', postalCode: '85004', phone: '12' })).toEqual([]);
    expect(addressKey({ street: '12 Elm St' })).toBeNull();
    expect(addressKey({ street: '12 Elm St', city: 'Phoenix' })).toBe('12 elm st|US|phoenix');
  });
});
