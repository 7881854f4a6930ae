/**
 * Every matcher the benchmark compares, behind one shape: load the module
 * (not timed), build from a term list (timed: "build"), scan one string and
 * return the number of matches found (timed: throughput).
 *
 * Each scan asks for what a gateway needs, the matches with their positions,
 * through the package's own documented "find all" call; none of the peers
 * normalises anything. Semantics differ, so match counts are comparable only
 * where `countsComparable` says so (see docs/BENCHMARKS.md).
 */
import type * as AutomatonModule from '../../src/match/automaton.js';
import type * as KeywordsModule from '../../src/match/keywords.js';
import type * as NormalizeModule from '../../src/normalize/index.js';
import { wardenDist } from '../lib/paths.js';

export interface Scanner {
  /** Scans `text`, returns the number of matches. */
  scan(text: string): number;
  /** Patterns actually compiled (after the matcher's own de-duplication or normalisation). */
  readonly patterns?: number;
}

export type Builder = (terms: string[]) => Scanner;

/** How a matcher's count relates to plain overlapping exact-case Aho-Corasick (the `aho-corasick` package). */
export type Semantics = 'overlapping-exact' | 'overlapping-grapheme' | 'leftmost-first' | 'lowercase-longest-per-end' | 'normalised';

export interface MatcherDef {
  readonly id: string;
  /** An npm package a user might pick instead of warden (the RegExp is not). */
  readonly npmPeer: boolean;
  /** warden's own code. */
  readonly warden: boolean;
  readonly semantics: Semantics;
  readonly note: string;
  load(): Promise<Builder>;
}

export const REFERENCE = 'aho-corasick';

export const MATCHERS: readonly MatcherDef[] = [
  {
    id: 'warden normalise+match',
    npmPeer: false,
    warden: true,
    semantics: 'normalised',
    note:
      'KeywordTables.match(): NFKC/width/case/trad→simp/invisible/look-alike folding and noise skipping, overlapping automaton, word boundaries for Latin terms, match objects with code-point offsets (maxMatches 1e9). Terms are normalised too (those equal after normalisation share one pattern).',
    async load() {
      const kw = await wardenDist<typeof KeywordsModule>('match/keywords.js');
      const norm = await wardenDist<typeof NormalizeModule>('normalize/index.js');
      return (terms) => {
        // Terms that normalise to nothing (only separators) would make compile throw: dropped here.
        const entries = terms
          .filter((t) => norm.normalizeToString(t).length > 0)
          .map((term, i) => ({ term, category: 'other_prohibited', action: 'block' as const, file: 'bench', line: i + 1 }));
        const tables = kw.KeywordTables.compile(entries, { maxMatches: 1e9 });
        return { scan: (text) => tables.match(text).matches.length, patterns: tables.patternCount };
      };
    },
  },
  {
    id: 'warden match alone',
    npmPeer: false,
    warden: true,
    semantics: 'overlapping-exact',
    note: 'Automaton.scan() on the raw text (string copied into a reused Uint16Array, included in the time), (pattern, end) pairs into a reused MatchBuffer. No normalisation, exact UTF-16.',
    async load() {
      const { Automaton, MatchBuffer } = await wardenDist<typeof AutomatonModule>('match/automaton.js');
      return (terms) => {
        const automaton = Automaton.compile(terms);
        const out = new MatchBuffer();
        let units = new Uint16Array(4096);
        return {
          patterns: automaton.patternCount,
          scan(text) {
            const n = text.length;
            if (n > units.length) units = new Uint16Array(Math.max(n, units.length * 2));
            for (let i = 0; i < n; i++) units[i] = text.charCodeAt(i);
            out.reset();
            automaton.scan(units, n, out);
            return out.count;
          },
        };
      };
    },
  },
  {
    id: 'aho-corasick',
    npmPeer: true,
    warden: false,
    semantics: 'overlapping-exact',
    note: 'hsujian/aho-corasick 0.1.3: search(text, callback), every overlapping match (callback counts). Reference for the count cross-check.',
    async load() {
      const { default: AhoCorasick } = await import('aho-corasick');
      return (terms) => {
        const ac = new AhoCorasick();
        for (const t of terms) ac.add(t, t);
        ac.build_fail();
        return {
          scan(text) {
            let n = 0;
            ac.search(text, () => {
              n++;
            });
            return n;
          },
        };
      };
    },
  },
  {
    id: 'modern-ahocorasick',
    npmPeer: true,
    warden: false,
    semantics: 'overlapping-grapheme',
    note: "modern-ahocorasick 3.3: search(text) (strategy 'all'), match objects; matches only on grapheme-cluster boundaries (Intl.Segmenter), exact case.",
    async load() {
      const { default: AhoCorasick } = await import('modern-ahocorasick');
      return (terms) => {
        const m = new AhoCorasick(terms);
        return { scan: (text) => m.search(text).length };
      };
    },
  },
  {
    id: 'modern-ahocorasick/fast',
    npmPeer: true,
    warden: false,
    semantics: 'overlapping-grapheme',
    note: "modern-ahocorasick 3.3 double-array backend ('modern-ahocorasick/fast'), same contract as the default export.",
    async load() {
      const { default: FastAhoCorasick } = await import('modern-ahocorasick/fast');
      return (terms) => {
        const m = new FastAhoCorasick(terms);
        return { scan: (text) => m.search(text).length };
      };
    },
  },
  {
    id: 'mint-filter',
    npmPeer: true,
    warden: false,
    semantics: 'lowercase-longest-per-end',
    note: "mint-filter 4.0.3: filter(text, { replace: false }). Lower-cases terms and text (toLowerCase per char) and reports only the node reached at each position (the longest match ending there), not the shorter ones on its failure chain: fewer matches than overlapping AC.",
    async load() {
      const { Mint } = await import('mint-filter');
      return (terms) => {
        const m = new Mint(terms);
        return { scan: (text) => m.filter(text, { replace: false }).words.length };
      };
    },
  },
  {
    id: 'fastscan',
    npmPeer: true,
    warden: false,
    semantics: 'overlapping-exact',
    note: 'fastscan 1.0.6: search(text), every overlapping match as [offset, word] (terms trimmed and de-duplicated by the package).',
    async load() {
      const { default: FastScanner } = await import('fastscan');
      return (terms) => {
        const s = new FastScanner(terms);
        return { scan: (text) => s.search(text).length };
      };
    },
  },
  {
    id: '@monyone/aho-corasick',
    npmPeer: true,
    warden: false,
    semantics: 'overlapping-exact',
    note: '@monyone/aho-corasick 1.1: matchInText(text), every overlapping match as { begin, end, keyword } (Map-based trie).',
    async load() {
      const { AhoCorasick } = await import('@monyone/aho-corasick');
      return (terms) => {
        const m = new AhoCorasick(terms);
        return { scan: (text) => m.matchInText(text).length };
      };
    },
  },
  {
    id: '@monyone/aho-corasick/fast',
    npmPeer: true,
    warden: false,
    semantics: 'overlapping-exact',
    note: "@monyone/aho-corasick 1.1 double-array variant ('@monyone/aho-corasick/fast'), same contract.",
    async load() {
      const { AhoCorasick } = await import('@monyone/aho-corasick/fast');
      return (terms) => {
        const m = new AhoCorasick(terms);
        return { scan: (text) => m.matchInText(text).length };
      };
    },
  },
  {
    id: 'RegExp alternation',
    npmPeer: false,
    warden: false,
    semantics: 'leftmost-first',
    note: "One V8 RegExp /t1|t2|…/g of all escaped terms in lexicon order, exec() loop: leftmost-first, non-overlapping (the first alternative that matches at the leftmost position wins).",
    async load() {
      return (terms) => {
        const re = new RegExp(terms.map((t) => t.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')).join('|'), 'g');
        re.test('warm'); // V8 compiles lazily: force the compile into build time
        return {
          scan(text) {
            re.lastIndex = 0;
            let n = 0;
            while (re.exec(text) !== null) n++;
            return n;
          },
        };
      };
    },
  },
];

export function matcherById(id: string): MatcherDef {
  const m = MATCHERS.find((x) => x.id === id);
  if (!m) throw new Error(`bench: unknown matcher "${id}" (known: ${MATCHERS.map((x) => x.id).join(', ')})`);
  return m;
}
