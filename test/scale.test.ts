// Scale tests on the public lists in ../shared (skipped, with a message from helpers/paths, when absent).
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLexicons } from '../src/lexicon/load.js';
import { Automaton } from '../src/match/automaton.js';
import { KeywordTables } from '../src/match/keywords.js';
import { normalizeToString } from '../src/normalize/index.js';
import { loadTaxonomy } from '../src/taxonomy/taxonomy.js';
import { HAS_SHARED, SHARED_DIR } from './helpers/paths.js';

describe.skipIf(!HAS_SHARED)('the 52k-term merged lexicon from ../shared/lexicons', () => {
  const terms = HAS_SHARED ? readFileSync(join(SHARED_DIR, 'lexicons/merged.txt'), 'utf8').split('\n').filter((t) => t.trim() !== '') : [];

  it('loads through the lexicon format, compiles, and finds any of its terms in running text', () => {
    expect(terms.length).toBeGreaterThan(50_000);
    const dir = mkdtempSync(join(tmpdir(), 'warden-scale-'));
    // Operators' lists are plain one-term-per-line files: add only the two header lines.
    const usable = terms.filter((t) => normalizeToString(t) !== '');
    writeFileSync(join(dir, 'merged.txt'), `# category: other_prohibited\n# action: flag\n${usable.join('\n')}\n`);
    const lexicon = loadLexicons([dir], loadTaxonomy());
    expect(lexicon.entries.length).toBe(usable.length);
    const tables = KeywordTables.compile(lexicon.entries, { maxMatches: 100_000 });
    expect(tables.patternCount).toBeGreaterThan(45_000);

    // Every 97th term, embedded in a sentence, is found and reported with its original text.
    for (let i = 0; i < usable.length; i += 97) {
      const term = usable[i]!;
      const text = `前文 ${term} 后文`;
      const { matches } = tables.match(text);
      // Terms that normalise alike ("incest", "INCEST") share a pattern, reported under the later one.
      const found = matches.filter((m) => normalizeToString(m.term) === normalizeToString(term));
      expect(found.length, term).toBeGreaterThan(0);
      for (const m of found) expect([...text].slice(m.start, m.end).join('')).toBe(m.text);
    }
  });

  it('counts the same raw matches as the npm aho-corasick package on a corpus slice', () => {
    const require = createRequire(import.meta.url);
    const AhoCorasick = require('aho-corasick') as new () => {
      add(word: string, data: unknown): void;
      build_fail(): void;
      search(text: string, cb: (word: string, data: unknown[]) => void): void;
    };
    const unique = [...new Set(terms)];
    const corpus = readFileSync(join(SHARED_DIR, 'corpus/corpus.txt'), 'utf8').slice(0, 300_000);
    const ours = Automaton.compile(unique).findAll(corpus).length;
    const ac = new AhoCorasick();
    for (const t of unique) ac.add(t, t);
    ac.build_fail();
    let theirs = 0;
    ac.search(corpus, (_w, data) => (theirs += data.length));
    expect(ours).toBe(theirs);
    expect(ours).toBeGreaterThan(100);
  });
});
