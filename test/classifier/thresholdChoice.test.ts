import { describe, expect, it } from 'vitest';
import { between, thresholdForBenignCap, thresholdForBestF1, thresholdForBestMacroF1 } from '../../scripts/eval/metrics.js';

describe('threshold choice (scripts/train)', () => {
  it('benign cap: at most cap of the benign scores reach the threshold', () => {
    const scores = Array.from({ length: 1000 }, (_, i) => i / 1000);
    const t = thresholdForBenignCap(scores, 0.01);
    expect(scores.filter((s) => s >= t).length).toBeLessThanOrEqual(10);
    expect(scores.filter((s) => s >= t).length).toBeGreaterThanOrEqual(9);
    expect(thresholdForBenignCap([0.2, 0.9], 0)).toBeGreaterThan(0.9);
  });

  it('best F1 / macro-F1 thresholds fall inside the gap that separates the classes, not on its edge', () => {
    const scores = [0.95, 0.9, 0.8, 0.3, 0.2, 0.1];
    const labels = [1, 1, 1, 0, 0, 0];
    for (const t of [thresholdForBestF1(scores, labels), thresholdForBestMacroF1(scores, labels)]) {
      expect(t).toBeGreaterThan(0.3);
      expect(t).toBeLessThan(0.8);
    }
    expect(between(0.8, 0.2)).toBeCloseTo(0.5, 6); // symmetric in logit space
    expect(between(0.8, undefined)).toBe(0.8);
  });

  it('macro-F1 does not flag a tie block that is mostly negatives', () => {
    // Flagging down to 0.5 adds 1 positive and 3 negatives: macro-F1 0.62 there against 0.85 above it.
    const scores = [0.9, 0.8, 0.5, 0.5, 0.5, 0.5, 0.1, 0.1];
    const labels = [1, 1, 1, 0, 0, 0, 0, 0];
    expect(thresholdForBestMacroF1(scores, labels)).toBeGreaterThan(0.5);
  });
});
