export { Normalizer, normalizeToString, normalizeWithMap, codePointOffsets, unitsToString, MAX_NOISE_RUN } from './normalize.js';
export type { NormalizedText, NormalizedCopy } from './normalize.js';
export { CharClass, foldTables } from './fold.js';

import { normalizeToString } from './normalize.js';

/**
 * The text the classifier sees: the keyword path's normalised form, so that
 * evasion tricks reach the model already undone. Training and serving both
 * call this one function.
 */
export function normalizeForModel(text: string): string {
  return normalizeToString(text);
}
