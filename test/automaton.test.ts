import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Automaton, MatchBuffer } from '../src/match/automaton.js';

type Match = { pattern: number; start: number; end: number };

/** The oracle: try every pattern at every position. */
function naive(patterns: readonly string[], text: string): Match[] {
  const out: Match[] = [];
  for (let start = 0; start < text.length; start++) {
    patterns.forEach((p, pattern) => {
      if (text.startsWith(p, start)) out.push({ pattern, start, end: start + p.length });
    });
  }
  return out;
}

const key = (m: Match) => `${m.start}:${m.end}:${m.pattern}`;
const sorted = (ms: Match[]) => ms.map(key).sort();

// The npm package `aho-corasick` (CoffeeScript, one object per node) as a second, independent oracle.
const require = createRequire(import.meta.url);
const AhoCorasick = require('aho-corasick') as new () => {
  add(word: string, data: unknown): void;
  build_fail(): void;
  search(text: string, cb: (word: string, data: number[], offset: number) => void): void;
};
function viaPackage(patterns: readonly string[], text: string): Match[] {
  const ac = new AhoCorasick();
  patterns.forEach((p, i) => ac.add(p, i));
  ac.build_fail();
  const out: Match[] = [];
  ac.search(text, (word, data, offset) => {
    for (const pattern of data) out.push({ pattern, start: offset, end: offset + word.length });
  });
  return out;
}

const smallAlphabet = fc.constantFrom('a', 'b', 'c', '黄', '片', '\ud83d\udca3');
const pattern = fc.array(smallAlphabet, { minLength: 1, maxLength: 5 }).map((cs) => cs.join(''));
const text = fc.array(smallAlphabet, { maxLength: 60 }).map((cs) => cs.join(''));

describe('Automaton', () => {
  it('reports exactly the matches of the naive oracle (overlapping, duplicates included)', () => {
    fc.assert(
      fc.property(fc.array(pattern, { minLength: 1, maxLength: 12 }), text, (patterns, t) => {
        const a = Automaton.compile(patterns);
        expect(sorted(a.findAll(t))).toEqual(sorted(naive(patterns, t)));
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with the npm aho-corasick package', () => {
    fc.assert(
      fc.property(fc.uniqueArray(pattern, { minLength: 1, maxLength: 12 }), text, (patterns, t) => {
        const a = Automaton.compile(patterns);
        expect(sorted(a.findAll(t))).toEqual(sorted(viaPackage(patterns, t)));
      }),
      { numRuns: 500 },
    );
  });

  it('handles large alphabets and long child lists (binary-searched nodes)', () => {
    const wide = fc.array(fc.integer({ min: 0x4e00, max: 0x4e40 }).map((c) => String.fromCharCode(c)), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(
        fc.array(wide.map((cs) => cs.join('')), { minLength: 20, maxLength: 200 }),
        fc.array(fc.integer({ min: 0x4e00, max: 0x4e40 }), { maxLength: 200 }).map((cs) => String.fromCharCode(...cs)),
        (patterns, t) => {
          expect(sorted(Automaton.compile(patterns).findAll(t))).toEqual(sorted(naive(patterns, t)));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('orders matches by end, longest first at the same end', () => {
    const a = Automaton.compile(['he', 'she', 'hers', 'his']);
    expect(a.findAll('ushers')).toEqual([
      { pattern: 1, start: 1, end: 4 },
      { pattern: 0, start: 2, end: 4 },
      { pattern: 2, start: 2, end: 6 },
    ]);
  });

  it('reports every duplicate pattern', () => {
    const a = Automaton.compile(['ab', 'ab', 'b']);
    expect(sorted(a.findAll('ab'))).toEqual(['0:2:0', '0:2:1', '1:2:2']);
  });

  it('rejects empty patterns, since they would match everywhere', () => {
    expect(() => Automaton.compile(['a', ''])).toThrow(/empty pattern/);
  });

  it('scans typed-array prefixes and appends to a growing buffer without losing matches', () => {
    const a = Automaton.compile(['a']);
    const units = new Uint16Array(2000).fill('a'.charCodeAt(0));
    const out = new MatchBuffer();
    a.scan(units, 1500, out);
    expect(out.count).toBe(1500);
    expect(out.end(1499)).toBe(1500);
    out.reset();
    a.scan(units, 3, out);
    expect(out.count).toBe(3);
  });

  it('compiles 100k terms and finds any of them (speed is measured in bench/, not here)', () => {
    const terms = Array.from({ length: 100_000 }, (_, i) => `t${i.toString(36)}词${i % 97}`);
    const a = Automaton.compile(terms);
    expect(a.patternCount).toBe(100_000);
    const found = a.findAll(`xx ${terms[12345]} yy ${terms[99999]}`).map((m) => terms[m.pattern]);
    expect(found).toEqual([terms[12345], terms[99999]]);
  });
});
