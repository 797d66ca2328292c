import { describe, expect, it } from 'vitest';
import { fieldErrorsFromGraphql, fieldErrorsFromRest } from './field-errors.js';

const known = ['firstName', 'lastName', 'email', 'phone', 'monthlyBill'];

describe('GraphQL validation errors → messages beside fields', () => {
  it('puts each input field message beside its field', () => {
    const result = fieldErrorsFromGraphql(
      [
        {
          message: 'Some fields are invalid',
          extensions: {
            code: 'VALIDATION_FAILED',
            fields: { 'input.email': ['Invalid email address'], 'input.phone': ['Too short', 'Digits only'] },
          },
        },
      ],
      { prefix: 'input', known },
    );
    expect(result).toEqual({
      fields: { email: 'Invalid email address', phone: 'Too short Digits only' },
      form: null,
    });
  });

  it('shows messages for fields the form does not display above the form, named', () => {
    const result = fieldErrorsFromGraphql(
      [
        {
          message: 'x',
          extensions: { code: 'VALIDATION_FAILED', fields: { 'input.postalCode': ['Too long'] } },
        },
      ],
      { prefix: 'input', known },
    );
    expect(result).toEqual({ fields: {}, form: 'Postal code: Too long' });
  });

  it('keeps non-validation errors readable and never echoes masked server faults', () => {
    expect(
      fieldErrorsFromGraphql([
        { message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } },
      ]),
    ).toEqual({ fields: {}, form: 'Something went wrong. Please try again.' });
    expect(
      fieldErrorsFromGraphql([{ message: 'Workspace is read-only', extensions: { code: 'LOCKED' } }]).form,
    ).toBe('Workspace is read-only');
    expect(fieldErrorsFromGraphql([{ message: 'no', extensions: { code: 'UNAUTHENTICATED' } }]).form).toMatch(
      /sign in again/i,
    );
  });

  it('explains an assignment outside the caller’s scope', () => {
    const form = fieldErrorsFromGraphql([
      { message: 'The new owner is outside your scope', extensions: { code: 'OUT_OF_SCOPE' } },
    ]).form;
    expect(form).toMatch(/outside your reach/);
    expect(form).toContain('The new owner is outside your scope');
  });

  it('answers no errors for an empty list', () => {
    expect(fieldErrorsFromGraphql([])).toEqual({ fields: {}, form: null });
  });
});

describe('REST errors from platform-api', () => {
  it('maps sign-in validation fields and keeps the message for credential failures', () => {
    expect(
      fieldErrorsFromRest(
        {
          error: {
            code: 'VALIDATION_FAILED',
            message: 'Some fields are invalid',
            fields: { email: ['Invalid email'] },
          },
        },
        ['email', 'password'],
      ),
    ).toEqual({ fields: { email: 'Invalid email' }, form: null });
    expect(
      fieldErrorsFromRest({
        error: { code: 'INVALID_CREDENTIALS', message: 'Email or password is incorrect' },
      }),
    ).toEqual({ fields: {}, form: 'Email or password is incorrect' });
  });

  it('falls back to a generic message for bodies that are not our error shape', () => {
    expect(fieldErrorsFromRest('<html>bad gateway</html>').form).toBe(
      'Something went wrong. Please try again.',
    );
  });
});
