import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLED_LEXICON_DIR, loadLexicons } from '../src/lexicon/load.js';
import { LexiconError, parseLexicon } from '../src/lexicon/parse.js';
import { loadTaxonomy } from '../src/taxonomy/taxonomy.js';

const taxonomy = loadTaxonomy();
const parse = (content: string) => parseLexicon(content, 'test.txt', taxonomy);

function tempDir(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'warden-lex-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

describe('lexicon format', () => {
  it('reads header defaults, comments, blank lines and per-line overrides', () => {
    const result = parse(
      ['\ufeff# gambling terms', '# category: gambling', '# action: block', '', '网络赌博', '百家乐\t\tflag', '冰毒\tdrugs', '毒\tA.1.8\tflag'].join('\r\n'),
    );
    expect(result.map((e) => [e.term, e.category, e.action, e.line])).toEqual([
      ['网络赌博', 'gambling', 'block', 5],
      ['百家乐', 'gambling', 'flag', 6],
      ['冰毒', 'drugs', 'block', 7],
      ['毒', 'other_prohibited', 'flag', 8],
    ]);
  });

  it('lets directives change defaults for the lines after them', () => {
    const result = parse('# category: drugs\n# action: flag\n大麻\n# action: block\n海洛因\n');
    expect(result.map((e) => e.action)).toEqual(['flag', 'block']);
  });

  it('accepts allow entries without a category', () => {
    expect(parse('# action: allow\n三黄片\n')[0]).toMatchObject({ term: '三黄片', category: null, action: 'allow' });
  });

  it.each([
    ['# category: nonsense\nx', /test\.txt:1: unknown category "nonsense"/],
    ['# category: drugs\n# action: maybe\nx', /test\.txt:2: unknown action "maybe"/],
    ['# action: block\n大麻', /test\.txt:2: no category/],
    ['# category: drugs\n大麻', /test\.txt:2: no action/],
    ['# category: drugs\n# action: block\na\tb\tc\td', /test\.txt:3: expected term<TAB>category<TAB>action/],
    ['# category: drugs\n# action: block\n\tdrugs', /test\.txt:3: empty term/],
    ['# category: drugs\n# action: block\nok\n' + 'x'.repeat(300), /test\.txt:4: term longer than 256/],
  ])('rejects malformed input with file:line (%#)', (content, message) => {
    expect(() => parse(content)).toThrow(message);
    expect(() => parse(content)).toThrow(LexiconError);
  });
});

describe('lexicon directories', () => {
  it('loads *.txt recursively in path order, later directories adding to earlier ones', () => {
    const a = tempDir({ 'b.txt': '# category: drugs\n# action: block\n冰毒\n', 'sub/a.txt': '# category: gambling\n# action: flag\n赌球\n', 'notes.md': 'ignored' });
    const b = tempDir({ 'extra.txt': '# category: drugs\n# action: flag\n冰毒\n' });
    const lexicon = loadLexicons([a, b], taxonomy);
    expect(lexicon.entries.map((e) => `${e.term}:${e.action}`)).toEqual(['冰毒:block', '赌球:flag', '冰毒:flag']);
    expect(lexicon.files).toHaveLength(3);
    expect(lexicon.version).toMatch(/^[0-9a-f]{12}$/);
  });

  it('changes the version when any file changes', () => {
    const a = tempDir({ 'x.txt': '# category: drugs\n# action: block\n冰毒\n' });
    const b = tempDir({ 'x.txt': '# category: drugs\n# action: block\n冰毒\n' });
    const c = tempDir({ 'x.txt': '# category: drugs\n# action: flag\n冰毒\n' });
    expect(loadLexicons([a], taxonomy).version).toBe(loadLexicons([b], taxonomy).version);
    expect(loadLexicons([a], taxonomy).version).not.toBe(loadLexicons([c], taxonomy).version);
  });

  it('fails clearly on a missing directory, an empty one, and invalid UTF-8', () => {
    expect(() => loadLexicons(['/nonexistent/warden'], taxonomy)).toThrow(/lexicon directory not found/);
    expect(() => loadLexicons([tempDir({ 'a.md': 'x' })], taxonomy)).toThrow(/no \*\.txt lexicon files/);
    const bad = tempDir({ 'bad.txt': Buffer.from([0x23, 0x0a, 0xff, 0xfe, 0x0a]) });
    expect(() => loadLexicons([bad], taxonomy)).toThrow(/bad\.txt:1: file is not valid UTF-8/);
  });
});

describe('bundled lexicons', () => {
  const lexicon = loadLexicons([BUNDLED_LEXICON_DIR], taxonomy);
  const termsFor = (code: string) =>
    lexicon.entries.filter((e) => e.action !== 'allow' && e.category !== null && taxonomy.get(e.category).code === code).length;

  it('load without errors and hold both Chinese and English terms', () => {
    expect(lexicon.entries.some((e) => /\p{Script=Han}/u.test(e.term))).toBe(true);
    expect(lexicon.entries.some((e) => /^[a-z ]+$/.test(e.term))).toBe(true);
  });

  it('cover every A.1 and A.2 risk', () => {
    const risks = taxonomy.categories.filter((c) => c.kind === 'tc260' && (c.group === 'A.1' || c.group === 'A.2'));
    expect(risks).toHaveLength(17);
    const empty = risks.filter((r) => termsFor(r.code) === 0).map((r) => r.code);
    expect(empty).toEqual([]);
  });

  it('include an allow-list that guards known false positives', () => {
    expect(lexicon.entries.some((e) => e.action === 'allow' && e.term === '三黄片')).toBe(true);
  });
});
