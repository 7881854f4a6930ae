/**
 * The benchmark inputs, read from the shared data directory (never copied into
 * the repository): lexicons (cleaned the way merged.txt was made), the
 * deterministic 1k/10k subsets, and the corpus as request-sized chunks and as
 * one string.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mulberry32 } from '../../scripts/train/prng.js';

export type LexiconSpec =
  | { readonly id: string; readonly kind: 'merged' }
  | { readonly id: string; readonly kind: 'subset'; readonly size: number }
  | { readonly id: string; readonly kind: 'file'; readonly path: string };

/** Fixed seed for the subsets: change it and the subsets (and their numbers) change. */
export const SUBSET_SEED = 0x5eed_2024;

/** The lexicons of a full run: merged, the 1k and 10k subsets, then every individual list. */
export function allLexicons(shared: string): { headline: LexiconSpec[]; individual: LexiconSpec[] } {
  const lex = join(shared, 'lexicons');
  const headline: LexiconSpec[] = [
    { id: 'merged', kind: 'merged' },
    { id: 'subset-10k', kind: 'subset', size: 10_000 },
    { id: 'subset-1k', kind: 'subset', size: 1_000 },
  ];
  const individual: LexiconSpec[] = [];
  const add = (dir: string, keep: (f: string) => boolean, prefix: string): void => {
    let names: string[];
    try {
      names = readdirSync(join(lex, dir)).filter(keep).sort();
    } catch {
      return;
    }
    for (const f of names) individual.push({ id: `${prefix}/${f.replace(/\.txt$/, '')}`, kind: 'file', path: join(dir, f) });
  };
  add('konsheng-Sensitive-lexicon/Vocabulary', (f) => f.endsWith('.txt'), 'konsheng');
  add('fwwdn-sensitive-stop-words', (f) => f.endsWith('.txt'), 'fwwdn'); // stopword.dic is not a list of sensitive terms
  add('LDNOOBW', (f) => f === 'en' || f === 'zh', 'LDNOOBW');
  return { headline, individual };
}

/**
 * One term per line, cleaned like merged.txt (see the lexicons' SOURCE.md):
 * CR stripped, trimmed, empty lines and single-code-point terms dropped,
 * exact duplicates removed (first occurrence kept). Every matcher gets the
 * same list, so duplicate handling cannot skew match counts.
 */
export function cleanTerms(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (t === '' || seen.has(t)) continue;
    const first = t.codePointAt(0)!;
    if (t.length === (first > 0xffff ? 2 : 1)) continue;
    seen.add(t);
    out.push(t);
  }
  return out;
}

/** First `n` terms of a seeded Fisher-Yates shuffle. */
export function seededSubset(terms: readonly string[], n: number, seed = SUBSET_SEED): string[] {
  const a = [...terms];
  const rnd = mulberry32(seed);
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
  return a.slice(0, n);
}

export function loadLexicon(shared: string, spec: LexiconSpec): string[] {
  const lex = join(shared, 'lexicons');
  switch (spec.kind) {
    case 'merged':
      return cleanTerms(readFileSync(join(lex, 'merged.txt'), 'utf8'));
    case 'subset':
      return seededSubset(cleanTerms(readFileSync(join(lex, 'merged.txt'), 'utf8')), spec.size);
    case 'file':
      return cleanTerms(readFileSync(join(lex, spec.path), 'utf8'));
  }
}

export interface Corpus {
  /** Request-sized chunks (chunks.txt byte offsets), in order. */
  readonly chunks: string[];
  /** UTF-8 bytes of each chunk. */
  readonly chunkBytes: number[];
  /** Code points of each chunk. */
  readonly chunkChars: number[];
  /** The whole corpus as one string (loaded lazily by callers that need it). */
  readonly whole: () => string;
  readonly totalBytes: number;
  /** UTF-16 units of the whole corpus. */
  readonly totalUnits: number;
}

function codePoints(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff && i > 0) {
      const p = s.charCodeAt(i - 1);
      if (p >= 0xd800 && p <= 0xdbff) n--;
    }
  }
  return n;
}

export function countCodePoints(s: string): number {
  return codePoints(s);
}

export function loadCorpus(shared: string): Corpus {
  const buf = readFileSync(join(shared, 'corpus', 'corpus.txt'));
  const offsets = readFileSync(join(shared, 'corpus', 'chunks.txt'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map(Number);
  const chunks: string[] = [];
  const chunkBytes: number[] = [];
  const chunkChars: number[] = [];
  for (let i = 0; i + 1 < offsets.length; i++) {
    const s = buf.toString('utf8', offsets[i], offsets[i + 1]);
    chunks.push(s);
    chunkBytes.push(offsets[i + 1]! - offsets[i]!);
    chunkChars.push(codePoints(s));
  }
  const totalUnits = chunks.reduce((n, c) => n + c.length, 0);
  let whole: string | null = null;
  return {
    chunks,
    chunkBytes,
    chunkChars,
    whole: () => (whole ??= buf.toString('utf8')),
    totalBytes: buf.length,
    totalUnits,
  };
}
