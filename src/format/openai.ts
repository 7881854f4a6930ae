/**
 * warden's answer in the shape of OpenAI's moderation API: all 13 categories,
 * filled from warden's categories through the taxonomy's `openai` mapping.
 * A warden category counts for every OpenAI category it maps to; keyword hits
 * score 1 (they are certain), model scores count as they are, below their
 * thresholds too, so `category_scores` carries the model's view of every text.
 */
import type { CategoryScore } from '../classifier/types.js';
import type { ItemResult } from '../decide/decide.js';
import { OPENAI_CATEGORIES, type OpenAiCategory, type Taxonomy } from '../taxonomy/taxonomy.js';

export interface OpenAiResult {
  flagged: boolean;
  categories: Record<OpenAiCategory, boolean>;
  category_scores: Record<OpenAiCategory, number>;
  category_applied_input_types: Record<OpenAiCategory, ['text']>;
}

const blank = <T>(value: () => T): Record<OpenAiCategory, T> =>
  Object.fromEntries(OPENAI_CATEGORIES.map((c) => [c, value()])) as Record<OpenAiCategory, T>;

export function toOpenAiResult(result: ItemResult, modelScores: readonly CategoryScore[] | null, taxonomy: Taxonomy): OpenAiResult {
  const categories = blank(() => false);
  const scores = blank(() => 0);
  const raise = (wardenCategory: string, score: number, hit: boolean): void => {
    for (const o of taxonomy.get(wardenCategory).openai) {
      scores[o] = Math.max(scores[o], score);
      if (hit) categories[o] = true;
    }
  };
  for (const s of modelScores ?? []) raise(s.category, s.score, false);
  for (const c of result.categories) raise(c.id, c.score, true);
  return {
    flagged: result.verdict !== 'allow',
    categories,
    category_scores: scores,
    category_applied_input_types: blank(() => ['text']),
  };
}
