import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MicroBatcher } from '../../src/classifier/batcher.js';
import { FastTextClassifier } from '../../src/classifier/fasttextClassifier.js';
import { loadClassifier } from '../../src/classifier/index.js';
import { actionFor } from '../../src/classifier/thresholds.js';
import { featurizeWindows } from '../../src/classifier/featurize.js';
import { worstWindow } from '../../src/classifier/scoring.js';
import { normalizeForModel } from '../../src/normalize/index.js';
import { TEST_LABELS, writeTestModel } from './helpers.js';

const input = (raw: string) => ({ raw, normalized: normalizeForModel(raw) });

describe('thresholds', () => {
  it('map scores to allow / flag / block at the boundaries', () => {
    const t = { flag: 0.5, block: 0.9 };
    expect(actionFor(0.49, t)).toBe('allow');
    expect(actionFor(0.5, t)).toBe('flag');
    expect(actionFor(0.89, t)).toBe('flag');
    expect(actionFor(0.9, t)).toBe('block');
    expect(actionFor(1, { flag: 0.5, block: 1.0001 })).toBe('flag');
  });

  it('the classifier applies model.json thresholds per category', async () => {
    // flag everything for harassment, never for hate, block everything for spam_ads.
    const { dir } = writeTestModel({
      thresholds: { harassment: { flag: 0, block: 1.0001 }, hate: { flag: 1.0001, block: 1.0001 }, spam_ads: { flag: 0, block: 0 } },
    });
    const c = await loadClassifier({ modelDir: dir });
    try {
      const [scores] = await c.classify([input('hello there')]);
      expect(scores!.map((s) => s.category)).toEqual(TEST_LABELS);
      expect(scores!.map((s) => s.action)).toEqual(['flag', 'allow', 'block']);
      expect(scores!.every((s) => s.score > 0 && s.score < 1)).toBe(true);
    } finally {
      await c.close();
    }
  });
});

describe('micro-batching', () => {
  it('merges concurrent submissions into one run and returns each caller its own outputs in order', async () => {
    const runs: number[][] = [];
    const b = new MicroBatcher<number, number>(async (xs) => (runs.push(xs), xs.map((x) => x * 10)), { maxBatch: 100, maxWaitMs: 1 });
    const results = await Promise.all([b.submit([1, 2]), b.submit([3]), b.submit([4, 5, 6])]);
    expect(results).toEqual([[10, 20], [30], [40, 50, 60]]);
    expect(runs).toEqual([[1, 2, 3, 4, 5, 6]]);
  });

  it('flushes as soon as maxBatch items wait', async () => {
    const runs: number[][] = [];
    const b = new MicroBatcher<number, number>(async (xs) => (runs.push(xs), xs), { maxBatch: 3, maxWaitMs: 1000 });
    const started = Date.now();
    await Promise.all([b.submit([1, 2]), b.submit([3])]);
    expect(Date.now() - started).toBeLessThan(500);
    expect(runs).toEqual([[1, 2, 3]]);
  });

  it('a failing run rejects every caller of that batch', async () => {
    const b = new MicroBatcher<number, number>(async () => Promise.reject(new Error('boom')), { maxBatch: 10, maxWaitMs: 1 });
    const settled = await Promise.allSettled([b.submit([1]), b.submit([2])]);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected']);
  });

  it('the classifier batches concurrent classify calls into fewer session runs, same answers as alone', async () => {
    const { dir } = writeTestModel();
    const c = await FastTextClassifier.load(dir, { intraOpNumThreads: 1, maxBatch: 64, maxWaitMs: 2 });
    try {
      const texts = Array.from({ length: 20 }, (_, i) => `message number ${i} ${'你好'.repeat(i)}`);
      const alone: { score: number }[][] = [];
      for (const t of texts) alone.push((await c.classify([input(t)]))[0]!);
      const before = c.runs;
      const together = await Promise.all(texts.map((t) => c.classify([input(t)]).then((r) => r[0]!)));
      expect(c.runs - before).toBeLessThan(texts.length / 4);
      together.forEach((scores, i) => scores.forEach((s, k) => expect(s.score).toBeCloseTo(alone[i]![k]!.score, 6)));
    } finally {
      await c.close();
    }
  });
});

describe('long texts', () => {
  it('worstWindow takes the per-category maximum', () => {
    expect(Array.from(worstWindow([[0.1, 0.9], [0.8, 0.2]], 2))).toEqual([0.8, 0.9]);
  });

  it('a long text scores as its worst window, not the average', async () => {
    const { dir, config } = writeTestModel({}, { windowChars: 40, windowStride: 30 });
    const c = await FastTextClassifier.load(dir, { intraOpNumThreads: 1, maxBatch: 64, maxWaitMs: 0 });
    try {
      const benign = 'the quick brown fox jumps over the lazy dog '.repeat(6);
      const text = benign + 'zq zq zq zq zq zq zq zq zq' + benign;
      const windows = featurizeWindows(normalizeForModel(text), config.featurizer);
      expect(windows.length).toBeGreaterThan(3);
      const perWindow = await c.run(windows);
      const [scores] = await c.classify([input(text)]);
      scores!.forEach((s, k) => expect(s.score).toBeCloseTo(Math.max(...perWindow.map((w) => w[k]!)), 6));
      // And it is not the score of the text bagged as a whole (which dilutes the worst window).
      const whole = await c.run([featurizeWindows(normalizeForModel(text), { ...config.featurizer, windowChars: 100000 })[0]!]);
      expect(scores!.some((s, k) => Math.abs(s.score - whole[0]![k]!) > 1e-4)).toBe(true);
    } finally {
      await c.close();
    }
  });

  it('an empty (after normalisation) text is allowed without asking the model', async () => {
    const { dir } = writeTestModel();
    const c = await FastTextClassifier.load(dir, { intraOpNumThreads: 1, maxBatch: 8, maxWaitMs: 0 });
    try {
      const before = c.runs;
      const [scores] = await c.classify([{ raw: '   ', normalized: '' }]);
      expect(scores!.every((s) => s.score === 0 && s.action === 'allow')).toBe(true);
      expect(c.runs).toBe(before);
    } finally {
      await c.close();
    }
  });
});

describe('model.json validation', () => {
  it('names the missing thresholds and the bad field', async () => {
    const { dir, config } = writeTestModel();
    writeFileSync(join(dir, 'model.json'), JSON.stringify({ ...config, thresholds: { harassment: { flag: 0.5, block: 0.9 } } }));
    await expect(loadClassifier({ modelDir: dir })).rejects.toThrow(/model\.json: invalid .*thresholds\.hate: no thresholds for label "hate"/);
    writeFileSync(join(dir, 'model.json'), JSON.stringify({ ...config, featurizer: { ...config.featurizer, buckets: -1 } }));
    await expect(loadClassifier({ modelDir: dir })).rejects.toThrow(/featurizer\.buckets/);
    writeFileSync(join(dir, 'model.json'), '{ not json');
    await expect(loadClassifier({ modelDir: dir })).rejects.toThrow(/model\.json: not valid JSON/);
  });

  it('rejects block below flag', async () => {
    const { dir, config } = writeTestModel();
    writeFileSync(join(dir, 'model.json'), JSON.stringify({ ...config, thresholds: { ...config.thresholds, hate: { flag: 0.8, block: 0.5 } } }));
    await expect(loadClassifier({ modelDir: dir })).rejects.toThrow(/thresholds\.hate: block threshold must be >= flag threshold/);
  });

  it('explains an empty model directory', async () => {
    const { dir } = writeTestModel();
    const { rmSync } = await import('node:fs');
    rmSync(join(dir, 'model.json'));
    await expect(loadClassifier({ modelDir: dir })).rejects.toThrow(/no model found .*missing config\.json, tokenizer\.json/);
  });
});
