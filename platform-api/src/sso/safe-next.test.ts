import { describe, expect, it } from 'vitest';
import { safeNext } from './safe-next.js';

describe('safeNext', () => {
  it('keeps a path on this host, with its query and fragment', () => {
    expect(safeNext('/leads?stage=new#top')).toBe('/leads?stage=new#top');
    expect(safeNext('/')).toBe('/');
  });

  it('sends anything that could leave the host to /', () => {
    for (const bad of [
      null,
      '',
      'leads',
      'https://evil.test/',
      '//evil.test/',
      '/\\evil.test',
      '/\t/evil.test',
      'javascript:alert(1)',
      `/${'a'.repeat(3000)}`,
    ])
      expect(safeNext(bad)).toBe('/');
  });
});
