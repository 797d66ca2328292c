import { describe, expect, it } from 'vitest';
import { splitter } from './proposal-fonts.js';

const glyphs = (chars: string) => ({
  hasGlyphForCodePoint: (cp: number) => chars.includes(String.fromCodePoint(cp)),
});
const latin = glyphs('abcdefghijklmnopqrstuvwxyzWXYZ ·ễ');
const cjk = glyphs('王小明김민준やまだ ');

describe('text runs by font', () => {
  it('sets what the main font lacks in the fallback, keeping spaces with their run', () => {
    expect(splitter(latin, cjk)('Wang 王小明 · Nguyễn')).toEqual([
      { text: 'Wang ', fallback: false },
      { text: '王小明 ', fallback: true },
      { text: '· Nguyễn', fallback: false },
    ]);
  });

  it('leaves a character neither font has to the main font, and everything to it without a fallback', () => {
    expect(splitter(latin, cjk)('a☃b')).toEqual([{ text: 'a☃b', fallback: false }]);
    expect(splitter(latin, null)('王 a')).toEqual([{ text: '王 a', fallback: false }]);
  });
});
