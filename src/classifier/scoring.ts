import type { CategoryScore } from './types.js';
import type { Thresholds } from './modelConfig.js';
import { actionFor } from './thresholds.js';

/**
 * A text's scores from its windows' scores: per category the worst (highest) window wins, so
 * a short insult inside a long benign text is not averaged away.
 */
export function worstWindow(windowScores: readonly ArrayLike<number>[], classes: number): Float64Array {
  const out = new Float64Array(classes);
  for (const w of windowScores) for (let c = 0; c < classes; c++) out[c] = Math.max(out[c]!, w[c]!);
  return out;
}

export function toCategoryScores(
  scores: ArrayLike<number>,
  categories: readonly string[],
  thresholds: Readonly<Record<string, Thresholds>>,
): CategoryScore[] {
  return categories.map((category, c) => {
    const score = scores[c]!;
    return { category, score, action: actionFor(score, thresholds[category]!) };
  });
}

/** Groups a flat list back into per-text lists, given how many entries each text had. */
export function regroup<T>(flat: readonly T[], counts: readonly number[]): T[][] {
  const out: T[][] = [];
  let offset = 0;
  for (const n of counts) {
    out.push(flat.slice(offset, offset + n));
    offset += n;
  }
  return out;
}
