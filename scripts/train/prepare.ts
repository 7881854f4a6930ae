/**
 * From raw rows to training examples: normalise (warden's evasion normaliser), deduplicate on
 * the normalised text, assign splits, featurise with the serving featuriser.
 *
 * Splits: COLD dev.csv is held out whole (the target is measured there); every other row goes
 * by a hash of its normalised text: 10% `calib` (early stopping and thresholds), 10% `heldout`
 * (reported metrics; for COLD train rows this 10% is calib instead), 80% `train`.
 */
import { fnv1a32 } from '../../src/classifier/hash.js';
import { featurizeWindows, type FeaturizerSettings } from '../../src/classifier/featurize.js';
import { normalizeForModel } from '../../src/normalize/index.js';
import { MODEL_HEADS, type RowLabels } from './labelMapping.js';
import type { Lang, RawRow } from './datasets.js';

export type Split = 'train' | 'calib' | 'heldout';

export interface Example {
  readonly dataset: string;
  readonly lang: Lang;
  readonly raw: string;
  readonly normalized: string;
  readonly original: string;
  readonly split: Split;
  /** Per MODEL_HEADS entry: 1 positive, 0 negative, -1 not supervised. */
  readonly labels: Int8Array;
  /** The first window's ids (training uses one window per text; see docs/CLASSIFIER.md). */
  readonly ids: Int32Array;
}

function splitOf(row: RawRow, key: string): Split {
  if (row.fixedSplit === 'heldout') return 'heldout';
  const bucket = fnv1a32('split:' + key) % 100;
  if (bucket < 10) return 'calib';
  if (bucket < 20 && row.dataset !== 'cold') return 'heldout';
  return 'train';
}

function labelVector(labels: RowLabels): Int8Array {
  return Int8Array.from(MODEL_HEADS, (h) => labels[h.name] ?? -1);
}

/** The training-time featurisation of a text: the first window of the serving featuriser. */
export function trainingIds(normalized: string, s: FeaturizerSettings): Int32Array {
  return featurizeWindows(normalized, s)[0]!;
}

export interface PrepareStats {
  readonly rows: number;
  readonly duplicatesMerged: number;
  readonly emptyAfterNormalisation: number;
}

export function prepareExamples(rowsIn: readonly RawRow[], s: FeaturizerSettings): { examples: Example[]; stats: PrepareStats } {
  // Held-out rows first, so a training duplicate of a held-out text is dropped, not leaked.
  const ordered = [...rowsIn.filter((r) => r.fixedSplit === 'heldout'), ...rowsIn.filter((r) => r.fixedSplit !== 'heldout')];
  const byKey = new Map<string, Example>();
  let duplicatesMerged = 0;
  let emptyAfterNormalisation = 0;
  for (const row of ordered) {
    const normalized = normalizeForModel(row.text);
    if (normalized.trim() === '') {
      emptyAfterNormalisation++;
      continue;
    }
    const key = normalized;
    const labels = labelVector(row.labels);
    const existing = byKey.get(key);
    if (existing !== undefined) {
      duplicatesMerged++;
      // Same text twice: a positive from any source wins; unsupervised slots take what is known.
      for (let c = 0; c < labels.length; c++) {
        existing.labels[c] = Math.max(existing.labels[c]!, labels[c]!);
      }
      continue;
    }
    byKey.set(key, {
      dataset: row.dataset,
      lang: row.lang,
      raw: row.text,
      normalized,
      original: row.original,
      split: splitOf(row, key),
      labels,
      ids: trainingIds(normalized, s),
    });
  }
  return { examples: [...byKey.values()], stats: { rows: rowsIn.length, duplicatesMerged, emptyAfterNormalisation } };
}
