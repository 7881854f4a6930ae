/** Binary classification metrics over (score, label) pairs. */

export interface BinaryCounts {
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
  readonly tn: number;
}

export interface BinaryMetrics {
  readonly n: number;
  readonly positives: number;
  readonly accuracy: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

export function countsAt(scores: ArrayLike<number>, labels: ArrayLike<number>, threshold: number): BinaryCounts {
  let tp = 0, fp = 0, fn = 0, tn = 0;
  for (let i = 0; i < scores.length; i++) {
    const predicted = scores[i]! >= threshold;
    if (labels[i] === 1) predicted ? tp++ : fn++;
    else predicted ? fp++ : tn++;
  }
  return { tp, fp, fn, tn };
}

export function metricsFromPredictions(predicted: ArrayLike<boolean>, labels: ArrayLike<number>): BinaryMetrics {
  let tp = 0, fp = 0, fn = 0, tn = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] === 1) predicted[i] ? tp++ : fn++;
    else predicted[i] ? fp++ : tn++;
  }
  return fromCounts({ tp, fp, fn, tn });
}

export function fromCounts({ tp, fp, fn, tn }: BinaryCounts): BinaryMetrics {
  const n = tp + fp + fn + tn;
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  return {
    n,
    positives: tp + fn,
    accuracy: n > 0 ? (tp + tn) / n : 0,
    precision,
    recall,
    f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0,
  };
}

/** Area under the precision-recall curve as average precision (the step-wise sum, as scikit-learn). */
export function averagePrecision(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const positives = order.reduce((n, i) => n + (labels[i] === 1 ? 1 : 0), 0);
  if (positives === 0) return 0;
  let tp = 0, fp = 0, ap = 0, lastRecall = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    labels[i] === 1 ? tp++ : fp++;
    // Only close a step where the score changes (ties count together).
    const next = order[k + 1];
    if (next !== undefined && scores[next] === scores[i]) continue;
    const recall = tp / positives;
    ap += (recall - lastRecall) * (tp / (tp + fp));
    lastRecall = recall;
  }
  return ap;
}

/**
 * The lowest threshold whose precision is at least `minPrecision` with at least `minFlagged`
 * texts above it (i.e. the most recall at that precision); Infinity-like 1.0001 when none.
 */
export function thresholdForPrecision(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  minPrecision: number,
  minFlagged = 10,
): number {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  let tp = 0, fp = 0;
  let best = 1.0001;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    labels[i] === 1 ? tp++ : fp++;
    const next = order[k + 1];
    if (next !== undefined && scores[next] === scores[i]) continue;
    if (tp + fp >= minFlagged && tp / (tp + fp) >= minPrecision) best = scores[i]!;
  }
  return best;
}

/**
 * The lowest threshold at which at most `cap` (a fraction) of the benign `scores` are at or above
 * it: just above the score of the (floor(cap * n) + 1)-th highest benign text.
 */
export function thresholdForBenignCap(scores: ArrayLike<number>, cap: number): number {
  const sorted = Array.from(scores).sort((a, b) => b - a);
  const allowed = Math.floor(cap * sorted.length);
  if (allowed >= sorted.length) return 0;
  return Math.min(1.0001, sorted[allowed]! + 1e-6);
}

/** Counts at a candidate threshold, for an objective to score. */
interface Confusion {
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
  readonly tn: number;
}

/**
 * The threshold that maximises `objective` among thresholds with precision >= minPrecision (ties: the
 * higher threshold); 1.0001 when none qualifies. One pass over the scores sorted high to low.
 */
function bestThreshold(scores: ArrayLike<number>, labels: ArrayLike<number>, minPrecision: number, objective: (c: Confusion) => number): number {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const positives = order.reduce((n, i) => n + (labels[i] === 1 ? 1 : 0), 0);
  const negatives = order.length - positives;
  let tp = 0, fp = 0, best = 1.0001, bestValue = -1;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    labels[i] === 1 ? tp++ : fp++;
    const next = order[k + 1];
    if (next !== undefined && scores[next] === scores[i]) continue;
    const value = objective({ tp, fp, fn: positives - tp, tn: negatives - fp });
    if (value > bestValue && tp / (tp + fp) >= minPrecision) {
      bestValue = value;
      best = between(scores[i]!, next === undefined ? undefined : scores[next]);
    }
  }
  return best;
}

/** The threshold with the best F1 among those with precision >= minPrecision (ties: the higher threshold). */
export function thresholdForBestF1(scores: ArrayLike<number>, labels: ArrayLike<number>, minPrecision = 0): number {
  return bestThreshold(scores, labels, minPrecision, ({ tp, fp, fn }) => (2 * tp) / (2 * tp + fp + fn));
}

/**
 * The threshold with the best macro-F1 (mean of the positive-class and negative-class F1) among
 * thresholds with precision >= minPrecision; 1.0001 when none qualifies.
 */
export function thresholdForBestMacroF1(scores: ArrayLike<number>, labels: ArrayLike<number>, minPrecision = 0): number {
  return bestThreshold(
    scores,
    labels,
    minPrecision,
    ({ tp, fp, fn, tn }) => (2 * tp) / (2 * tp + fp + fn) / 2 + (tn + fn + fp > 0 ? (2 * tn) / (2 * tn + fn + fp) / 2 : 0),
  );
}

/**
 * A threshold between the lowest score still flagged (`at`) and the next lower score (`below`): the
 * midpoint in logit space, so that calib decides the gap but not which edge of it is used (choosing
 * `at` itself puts the threshold right on a calib positive, which is optimistic on unseen text).
 */
export function between(at: number, below: number | undefined): number {
  if (below === undefined) return at;
  const logit = (p: number): number => Math.log(Math.min(Math.max(p, 1e-9), 1 - 1e-9) / (1 - Math.min(Math.max(p, 1e-9), 1 - 1e-9)));
  const mid = (logit(at) + logit(below)) / 2;
  return Math.min(at, Math.max(below, 1 / (1 + Math.exp(-mid))));
}
