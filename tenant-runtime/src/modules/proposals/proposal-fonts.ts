import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as fontkit from 'fontkit';

/*
 * The proposal PDF's fonts. DejaVu Sans (an npm package, always there) prints Latin, Vietnamese, Greek and
 * Cyrillic — Nguyễn, Łukasz, Ζωή. Chinese, Japanese and Korean names (王小明, 김민준, やまだ) need a CJK font,
 * far too big for npm: the first of FALLBACK_FONTS found on disk is used for the characters DejaVu lacks.
 * The runtime image installs Debian's fonts-wqy-microhei (5 MB) for it. Fonts are embedded as subsets, so a
 * PDF carries only the glyphs it uses.
 */

/** Where Debian packages put a CJK font, and the face to use in each collection (.ttc). */
export const FALLBACK_FONTS: ReadonlyArray<{ path: string; face: string }> = [
  { path: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', face: 'WenQuanYiMicroHei' }, // fonts-wqy-microhei
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', face: 'NotoSansCJKsc-Regular' }, // fonts-noto-cjk
];

export interface ProposalFonts {
  body: Buffer;
  bold: Buffer;
  /** a font for what DejaVu cannot print, if one is installed */
  fallback: { data: Buffer; face: string } | null;
  /** Splits text into runs each font can print: `fallback` runs need the fallback font. */
  runs(text: string): Array<{ text: string; fallback: boolean }>;
}

type Glyphs = Pick<fontkit.Font, 'hasGlyphForCodePoint'>;

let loaded: ProposalFonts | undefined;

/** Read once per process (about 1.4 MB of DejaVu, plus the fallback font if installed). */
export function proposalFonts(fallbacks = FALLBACK_FONTS): ProposalFonts {
  if (loaded && fallbacks === FALLBACK_FONTS) return loaded;
  const dir = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  const body = readFileSync(join(dir, 'DejaVuSans.ttf'));
  const bold = readFileSync(join(dir, 'DejaVuSans-Bold.ttf'));
  const found = fallbacks.find((f) => existsSync(f.path));
  const fallback = found ? { data: readFileSync(found.path), face: found.face } : null;
  const fonts: ProposalFonts = {
    body,
    bold,
    fallback,
    runs: splitter(
      fontkit.create(body) as fontkit.Font,
      fallback ? faceOf(fallback.data, fallback.face) : null,
    ),
  };
  if (fallbacks === FALLBACK_FONTS) loaded = fonts;
  return fonts;
}

function faceOf(data: Buffer, face: string): Glyphs {
  const font = fontkit.create(data, face) as fontkit.Font | fontkit.FontCollection;
  if (!('hasGlyphForCodePoint' in font)) throw new Error(`font collection has no face ${face}`);
  return font;
}

/** Runs of text by font: a character goes to the fallback only when DejaVu lacks it and the fallback has it. */
export function splitter(primary: Glyphs, fallback: Glyphs | null) {
  const needsFallback = new Map<number, boolean>();
  const wants = (cp: number) => {
    let v = needsFallback.get(cp);
    if (v === undefined) {
      v = fallback !== null && !primary.hasGlyphForCodePoint(cp) && fallback.hasGlyphForCodePoint(cp);
      needsFallback.set(cp, v);
    }
    return v;
  };
  return (text: string): Array<{ text: string; fallback: boolean }> => {
    if (!fallback) return [{ text, fallback: false }];
    const runs: Array<{ text: string; fallback: boolean }> = [];
    for (const ch of text) {
      // spaces join whichever run they are in, so a name is not cut into more runs than it needs
      const fb =
        ch.trim() === '' && runs.length ? runs[runs.length - 1]!.fallback : wants(ch.codePointAt(0)!);
      const last = runs[runs.length - 1];
      if (last && last.fallback === fb) last.text += ch;
      else runs.push({ text: ch, fallback: fb });
    }
    return runs.length ? runs : [{ text, fallback: false }];
  };
}
