import { describe, expect, it } from 'vitest';
import { passwordProblems } from './password-policy.js';

const ana = { email: 'ana.lopez@acme.test', tenantSlug: 'acme', tenantName: 'Acme Solar' };

describe('password policy', () => {
  it('accepts a long, uncommon passphrase', async () => {
    expect(await passwordProblems('orchid tractor umbrella 9', ana)).toEqual([]);
  });

  it('refuses passwords shorter than 12 characters', async () => {
    expect(await passwordProblems('x7#Kq!m2Lp', ana)).toContain('must be at least 12 characters');
  });

  it('refuses common and breached passwords, even long ones', async () => {
    expect(await passwordProblems('password1234', ana)).toContain('is a commonly used or breached password');
    expect(await passwordProblems('qwertyuiop123', ana)).not.toEqual([]);
  });

  it('refuses guessable passwords with zxcvbn feedback', async () => {
    const problems = await passwordProblems('aaaaaaaaaaaaaaaa', ana);
    expect(problems.join(' ')).toMatch(/too easy to guess|commonly used/);
  });

  it('refuses passwords containing the email, its name part, or the workspace name', async () => {
    expect(await passwordProblems('ana.lopez@acme.test!!', ana)).toContain(
      'must not contain your email address or name',
    );
    expect(await passwordProblems('Ana.Lopez-orchid-77', ana)).toContain(
      'must not contain your email address or name',
    );
    expect(await passwordProblems('ACME-orchid-tractor-9', ana)).toContain(
      'must not contain the workspace name',
    );
    expect(await passwordProblems('AcmeSolar-orchid-9', ana)).toContain(
      'must not contain the workspace name',
    );
  });
});
