import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FEATURIZER, featureStrings, featurizeWindow, featurizeWindows, splitWindows } from '../../src/classifier/featurize.js';
import { fnv1a32 } from '../../src/classifier/hash.js';
import { trainingIds } from '../../scripts/train/prepare.js';
import { normalizeForModel } from '../../src/normalize/index.js';
import { FastTextClassifier } from '../../src/classifier/fasttextClassifier.js';
import { writeTestModel } from './helpers.js';

const S = { ...DEFAULT_FEATURIZER, buckets: 4096 };
// Mixed-script text generator: CJK, Latin, digits, spaces, punctuation, emoji.
const mixedText = fc
  .array(fc.constantFrom('你', '好', '傻', '逼', '女', '人', 'a', 'b', 'x', 'y', 'z', '1', '7', ' ', ' ', '!', '😡', 'É', 'ß'), { maxLength: 400 })
  .map((a) => a.join(''));

describe('featuriser', () => {
  it('emits CJK char 1-3 grams, Latin words, bigrams, char n-grams and digit shapes', () => {
    expect(featureStrings('傻逼', S)).toEqual(['c傻', 'c傻逼', 'c逼']);
    const f = featureStrings('you idiot 0800123', S);
    expect(f).toContain('wyou');
    expect(f).toContain('widiot');
    expect(f).toContain('byou idiot');
    expect(f).toContain('g<id');
    expect(f).toContain('w#7');
    expect(f).not.toContain('w0800123');
  });

  it('training-time ids equal the ids the served model receives (property)', async () => {
    const { dir } = writeTestModel();
    const model = await FastTextClassifier.load(dir, { intraOpNumThreads: 1, maxBatch: 8, maxWaitMs: 0 });
    const served: Int32Array[][] = [];
    // Capture what serving sends to the session.
    const originalRun = model.run.bind(model);
    model.run = async (windows) => {
      served.push([...windows]);
      return originalRun(windows);
    };
    try {
      await fc.assert(
        fc.asyncProperty(mixedText, async (raw) => {
          const normalized = normalizeForModel(raw);
          fc.pre(normalized.trim() !== '');
          served.length = 0;
          await model.classify([{ raw, normalized }]);
          const sent = served.flat();
          expect(sent[0]).toEqual(trainingIds(normalized, model.config.featurizer));
          expect(sent).toEqual(featurizeWindows(normalized, model.config.featurizer));
        }),
        { numRuns: 150 },
      );
    } finally {
      await model.close();
    }
  });

  it('windows cover the whole text with overlap; short texts are one window', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 1200 }), (text) => {
        const w = splitWindows(text, { windowChars: 100, windowStride: 75 });
        const chars = Array.from(text);
        if (chars.length <= 100) expect(w).toEqual([text]);
        else {
          expect(w.every((x) => Array.from(x).length <= 100)).toBe(true);
          expect(Array.from(w.at(-1)!).at(-1)).toBe(chars.at(-1));
          expect(w.length).toBe(Math.ceil((chars.length - 100) / 75) + 1);
        }
      }),
    );
  });

  it('ids are exactly the FNV-1a hashes of the feature strings', () => {
    fc.assert(
      fc.property(mixedText, fc.constantFrom('', 'x😡y', '𝒳yz abc'), (text, extra) => {
        const window = text + extra;
        const strings = featureStrings(window, S);
        const ids = featurizeWindow(window, S);
        if (strings.length === 0) expect(Array.from(ids)).toEqual([0]);
        else expect(Array.from(ids)).toEqual(strings.slice(0, S.maxIdsPerWindow).map((f) => fnv1a32(f) % S.buckets));
      }),
    );
  });

  it('ids are in range and bounded in count', () => {
    fc.assert(
      fc.property(mixedText, (text) => {
        for (const ids of featurizeWindows(text, { ...S, maxIdsPerWindow: 50 })) {
          expect(ids.length).toBeGreaterThan(0);
          expect(ids.length).toBeLessThanOrEqual(50);
          expect(ids.every((id) => id >= 0 && id < S.buckets)).toBe(true);
        }
      }),
    );
  });
});

describe('splitWindows fast path', () => {
  it('slices by code point whether or not the text has astral characters (property)', () => {
    const reference = (text: string, size: number, stride: number): string[] => {
      const chars = Array.from(text);
      if (chars.length <= size) return [text];
      const out: string[] = [];
      for (let start = 0; ; start += stride) {
        const end = Math.min(start + size, chars.length);
        out.push(chars.slice(start, end).join(''));
        if (end === chars.length) break;
      }
      return out;
    };
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 600 }), fc.string({ unit: 'binary', maxLength: 600 })), (text) => {
        expect(splitWindows(text, { windowChars: 50, windowStride: 40 })).toEqual(reference(text, 50, 40));
      }),
      { numRuns: 300 },
    );
  });
});
