/**
 * The seam between the keyword path and a text classifier.
 *
 * The pipeline (src/moderate.ts) owns *when* a model is asked (the `classify`
 * option, the time budget, degraded answers); a Classifier owns *how* texts are
 * scored (featurising or tokenising, batching, thresholds).
 */
import type { Action } from '../decide/types.js';

export interface ClassifierInput {
  /** The text exactly as the client sent it. */
  readonly raw: string;
  /** The same text after warden's evasion normaliser (what the keyword path matched on). */
  readonly normalized: string;
}

export interface CategoryScore {
  /** A warden category id from lexicons/taxonomy.json. */
  readonly category: string;
  /** Calibrated-ish probability in [0, 1]. */
  readonly score: number;
  /** What the model's per-category thresholds make of the score. */
  readonly action: Action;
}

export interface Classifier {
  /** Reported as `model` in responses. */
  readonly name: string;
  /** The warden category ids the model scores (each must exist in the taxonomy). */
  readonly categories: readonly string[];
  /**
   * Scores each input; the result has one entry per input, in order, listing
   * every category the model knows (including those scored `allow`).
   * Rejects when the model fails; the pipeline turns that into a degraded answer.
   */
  classify(inputs: readonly ClassifierInput[]): Promise<CategoryScore[][]>;
  close(): Promise<void>;
}
