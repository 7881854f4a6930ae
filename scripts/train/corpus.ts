/**
 * The benign corpus (../shared/corpus). Its Chinese review lines are split by a hash of the
 * line: one half may serve as extra training negatives, the other half is only ever used to
 * measure the benign flag rate. Parts that are not benign (en_davidson_tweets is
 * offensive-heavy, per SOURCE.md) are never used for either.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { fnv1a32 } from '../../src/classifier/hash.js';

const partsSchema = z.array(z.object({ name: z.string(), lines: z.number().int().nonnegative() }));

export const REVIEW_PARTS = [
  'zh_douban_book_review.txt',
  'zh_chnsenticorp_reviews.txt',
  'zh_waimai_10k.txt',
  'zh_online_shopping_10_cats.txt',
] as const;
/** Benign parts used only for measuring (never for training). */
export const MEASURE_ONLY_PARTS = ['zh_clue_news_web.txt', 'mixed_news_commentary_en_zh.txt', 'en_tinyshakespeare.txt'] as const;

export interface CorpusLine {
  readonly part: string;
  readonly text: string;
  /** 'train' lines may be training negatives; 'measure' lines are for the benign flag rate only. */
  readonly use: 'train' | 'measure';
}

export function readBenignCorpus(corpusDir: string): CorpusLine[] {
  const parts = partsSchema.parse(JSON.parse(readFileSync(join(corpusDir, 'parts.json'), 'utf8')));
  const lines = readFileSync(join(corpusDir, 'corpus.txt'), 'utf8').split('\n');
  const out: CorpusLine[] = [];
  let offset = 0;
  for (const part of parts) {
    const isReview = (REVIEW_PARTS as readonly string[]).includes(part.name);
    const isMeasure = (MEASURE_ONLY_PARTS as readonly string[]).includes(part.name);
    for (let i = offset; i < offset + part.lines; i++) {
      const text = lines[i];
      if (text === undefined || text.trim() === '' || !(isReview || isMeasure)) continue;
      const use = isReview && fnv1a32('corpus-split:' + text) % 2 === 0 ? 'train' : 'measure';
      out.push({ part: part.name, text, use });
    }
    offset += part.lines;
  }
  return out;
}
