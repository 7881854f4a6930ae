import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codePointOffsets, Normalizer, normalizeToString, normalizeWithMap } from '../src/normalize/index.js';

const n = normalizeToString;

describe('normaliser: character folding', () => {
  it.each([
    ['ＦＵＣＫ　ｙｏｕ', 'fuck you'], // full width
    ['FuCk', 'fuck'], // case
    ['發財 臺灣 黃片 乾淨', '发财台湾黄片干净'], // traditional → simplified (the spaces sit between single CJK characters)
    ['fu\u200bck', 'fuck'], // zero-width space
    ['f\u00adu\u200dc\ufeffk', 'fuck'], // soft hyphen, ZWJ, BOM
    ['①②③', '123'], // circled digits
    ['⑴⑵', '12'], // parenthesised digits
    ['㈠', '一'], // parenthesised ideograph
    ['ⒻⓊⒸⓀ', 'fuck'], // circled letters
    ['𝐟𝐮𝐜𝐤', 'fuck'], // mathematical bold
    ['🅵🆄🅲🅺', 'fuck'], // negative squared letters
    ['раураl', 'paypal'], // Cyrillic look-alikes
    ['ѕех', 'sex'],
    ['fück', 'fuck'], // diacritics
    ['fu\u0301ck', 'fuck'], // combining mark
    ['ﬁne', 'fine'], // ligature
  ])('%s → %s', (input, expected) => {
    expect(n(input)).toBe(expected);
  });
});

describe('normaliser: noise between single characters', () => {
  it.each([
    ['炸*弹', '炸弹'],
    ['法 轮 功', '法轮功'],
    ['f.u.c.k', 'fuck'],
    ['毒-品', '毒品'],
    ['f u c k', 'fuck'],
    ['炸💣弹', '炸弹'], // emoji as noise
    ['习…近…平', '习近平'],
  ])('%s → %s', (input, expected) => {
    expect(n(input)).toBe(expected);
  });

  it('keeps ordinary word gaps: "of u c k" does not become "fuck"', () => {
    expect(n('of u c k')).toBe('of uck');
    expect(n('of u c k')).not.toContain('fuck');
  });

  it('keeps a gap once the word after it turns out longer than one letter', () => {
    expect(n('a bc')).toBe('a bc');
    expect(n('a.b.cd')).toBe('ab cd');
    expect(n('I am a b student')).toBe('i am ab student');
  });

  it('collapses separators between words into one space and trims the ends', () => {
    expect(n('  Hello,   World!  ')).toBe('hello world');
  });

  it('never skips line breaks or long noise runs', () => {
    expect(n('炸\n弹')).toBe('炸\n弹');
    expect(n('炸****弹')).toBe('炸\n弹');
    expect(n('炸***弹')).toBe('炸弹');
  });
});

describe('normaliser: offset map', () => {
  const anyText = fc.string({ unit: 'binary', maxLength: 80 });
  const mixed = fc
    .array(fc.constantFrom('a', 'B', ' ', '.', '炸', '彈', '\u200b', 'ﬁ', '①', '𝐟', '😀', '\ud800', '\n', 'é', 'e\u0301', '**'), { maxLength: 40 })
    .map((parts) => parts.join(''));

  it('maps every unit to a non-empty, in-bounds, ordered span of the original', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, mixed), (text) => {
        const { text: out, from, to } = normalizeWithMap(text);
        expect(from.length).toBe(out.length);
        for (let i = 0; i < out.length; i++) {
          expect(from[i]).toBeGreaterThanOrEqual(0);
          expect(to[i]).toBeGreaterThan(from[i]!);
          expect(to[i]).toBeLessThanOrEqual(text.length);
          if (i > 0) {
            expect(from[i]).toBeGreaterThanOrEqual(from[i - 1]!);
            expect(to[i]).toBeGreaterThanOrEqual(to[i - 1]!);
          }
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('maps every non-space unit to original characters that fold to it', () => {
    fc.assert(
      fc.property(mixed, (text) => {
        const { text: out, from, to } = normalizeWithMap(text);
        for (let i = 0; i < out.length; i++) {
          if (out[i] === ' ' || out[i] === '\n') continue;
          expect(n(text.slice(from[i], to[i]))).toContain(out[i]);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, mixed), (text) => {
        expect(n(n(text))).toBe(n(text));
      }),
      { numRuns: 5000 },
    );
  });

  it('skips any interleaved noise inside a term of single CJK characters', () => {
    const noise = fc.array(fc.constantFrom(' ', '*', '-', '.', '·', '_', '|', '\u200b', '😀', '！'), { minLength: 0, maxLength: 3 });
    fc.assert(
      fc.property(fc.tuple(noise, noise, noise), ([a, b, c]) => {
        expect(n(`炸${a.join('')}药${b.join('')}配${c.join('')}方`)).toBe('炸药配方');
      }),
    );
  });

  it('keeps a reusable normaliser correct across texts of different sizes', () => {
    const normalizer = new Normalizer();
    const long = '炸'.repeat(5000);
    expect(normalizer.normalize(long).length).toBe(5000);
    const short = normalizer.normalize('A b');
    expect(short.length).toBe(2);
    expect(String.fromCharCode(...short.units.subarray(0, short.length))).toBe('ab');
  });
});

describe('codePointOffsets', () => {
  it('converts UTF-16 offsets to code points around astral characters and lone surrogates', () => {
    const text = 'a😀b\ud800c';
    expect(codePointOffsets(text, [0, 1, 3, 4, 5, 6])).toEqual([0, 1, 2, 3, 4, 5]);
    expect([...text].length).toBe(5);
  });
});
