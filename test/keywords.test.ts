import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeywordTables } from '../src/match/keywords.js';
import { normalizeForModel, normalizeToString } from '../src/normalize/index.js';
import { entries } from './helpers/lexicon.js';

const tables = KeywordTables.compile(
  entries([
    ['黄片', 'sexual', 'block'],
    ['三黄片', null, 'allow'],
    ['炸弹', 'weapons', 'flag'],
    ['制作炸弹', 'weapons', 'block'],
    ['fuck', 'harassment', 'block'],
    ['sb', 'harassment', 'flag'],
    ['69', 'sexual', 'flag'],
    ['ball gag', 'sexual', 'flag'],
    ['法轮功', 'subversion', 'block'],
    ['av女优', 'sexual', 'block'],
    ['毒品', 'drugs', 'flag'],
    ['毒品', 'other_prohibited', 'flag'],
  ]),
);

const terms = (text: string) => tables.match(text).matches.map((m) => m.term);

describe('keyword tables', () => {
  it('matches Latin and digit terms on word boundaries only', () => {
    expect(terms('Disburse the funds')).toEqual([]);
    expect(terms('call 6950')).toEqual([]);
    expect(terms('you sb')).toEqual(['sb']);
    expect(terms('69')).toEqual(['69']);
    expect(terms('fucking')).toEqual([]);
    expect(terms('fuck123')).toEqual([]);
    expect(terms('操fuck你')).toEqual(['fuck']); // CJK next to Latin is a boundary
  });

  it('matches CJK terms as substrings', () => {
    expect(terms('他在看黄片吗')).toEqual(['黄片']);
    expect(terms('去av女优网站')).toEqual(['av女优']);
    expect(terms('去hav女优网站')).toEqual([]); // the Latin end still needs its boundary
  });

  it('lets an allow-list term that covers a hit suppress it, and only that one', () => {
    expect(terms('三黄片是中成药')).toEqual([]);
    expect(terms('三黄片和黄片')).toEqual(['黄片']);
    expect(tables.match('三黄片和黄片').matches[0]).toMatchObject({ start: 4, end: 6 });
  });

  it('reports overlapping matches, each with its category and action', () => {
    const result = tables.match('教你制作炸弹');
    expect(result.matches.map((m) => [m.term, m.action])).toEqual([
      ['制作炸弹', 'block'],
      ['炸弹', 'flag'],
    ]);
    expect(result.strictest).toBe('block');
    expect(result.categories.get('weapons')).toBe('block');
  });

  it('reports one match per category when a term sits in two tables', () => {
    expect(tables.match('毒品').matches.map((m) => m.category).sort()).toEqual(['drugs', 'other_prohibited']);
  });

  it('survives evasion and points at the original text', () => {
    const text = 'ok Ｆ.Ｕ.Ｃ.Ｋ ok 法 轮 功 ok 黃片';
    const { matches } = tables.match(text);
    expect(matches.map((m) => m.text)).toEqual(['Ｆ.Ｕ.Ｃ.Ｋ', '法 轮 功', '黃片']);
    for (const m of matches) expect([...text].slice(m.start, m.end).join('')).toBe(m.text);
  });

  it('reports code-point offsets when the text has astral characters', () => {
    const text = '😀😀 黄片 𝐟𝐮𝐜𝐤';
    const { matches } = tables.match(text);
    expect(matches.map((m) => [m.term, m.start, m.end])).toEqual([
      ['黄片', 3, 5],
      ['fuck', 6, 10],
    ]);
    expect(matches[1]!.text).toBe('𝐟𝐮𝐜𝐤');
  });

  it('finds spelled-out words in a row one by one, but not inside real words', () => {
    expect(terms('f.u.c.k f.u.c.k')).toEqual(['fuck', 'fuck']);
    expect(terms('s b, f u c k')).toEqual(['sb', 'fuck']);
    expect(terms('fuckfuck')).toEqual([]);
    expect(terms('Disburse')).toEqual([]);
    expect(terms('ﬁ69')).toEqual([]); // letters from one ligature stay one word
  });

  it('does not match across ordinary English word gaps', () => {
    expect(terms('of u c k')).toEqual([]);
    expect(terms('f u c k')).toEqual(['fuck']);
    expect(terms('ball  gag')).toEqual(['ball gag']);
  });

  it('filters by active categories', () => {
    expect(tables.match('黄片 炸弹', new Set(['weapons'])).matches.map((m) => m.term)).toEqual(['炸弹']);
  });

  it('lets a later entry for the same term and category override an earlier one', () => {
    const t = KeywordTables.compile(entries([['赌博', 'gambling', 'block'], ['赌博', 'gambling', 'flag']]));
    expect(t.match('赌博').matches.map((m) => m.action)).toEqual(['flag']);
  });

  it('counts terms per category, without allow entries', () => {
    expect(tables.termCounts.get('weapons')).toBe(2);
    expect(tables.allowCount).toBe(1);
  });

  it('caps the listed matches but still decides on all of them', () => {
    const t = KeywordTables.compile(entries([['黄片', 'sexual', 'flag'], ['炸弹', 'weapons', 'block']]), { maxMatches: 5 });
    const result = t.match('黄片'.repeat(100) + '炸弹');
    expect(result.matches).toHaveLength(5);
    expect(result.truncated).toBe(true);
    expect(result.strictest).toBe('block');
  });

  it('rejects a term that normalises to nothing, naming its file and line', () => {
    expect(() => KeywordTables.compile(entries([['ok', 'sexual', 'flag'], ['\u200b**', 'sexual', 'flag']]))).toThrow(
      'inline.txt:2: term "\u200b**" normalises to nothing',
    );
  });

  it('always reports text equal to the original slice and a term whose normal form occurs in it', () => {
    const pieces = fc.constantFrom('黄', '片', '炸', '弹', 'f', 'u', 'c', 'k', ' ', '.', '😀', '\u200b', 'Ｋ', '三');
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 40 }), (parts) => {
        const text = parts.join('');
        const cps = [...text];
        for (const m of tables.match(text).matches) {
          expect(cps.slice(m.start, m.end).join('')).toBe(m.text);
          expect(normalizeToString(m.text).replace(/\s/g, '')).toContain(normalizeToString(m.term).replace(/\s/g, ''));
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('hands the classifier exactly the normal form the model was trained on', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (text) => {
        const { scan, normalized } = tables.matchKeepingText(text);
        expect(normalized).toBe(normalizeForModel(text));
        expect(scan).toEqual(tables.match(text));
      }),
      { numRuns: 1000 },
    );
  });

  it('stays linear when a text is packed with allow and deny hits', () => {
    const text = '三黄片'.repeat(30_000);
    const result = tables.match(text);
    expect(result.matches).toEqual([]);
  });
});
