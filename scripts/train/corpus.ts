/**
 * The benign corpus (../shared/corpus). Every benign part is split by a hash of the line
 * (`fnv1a32('corpus-split:' + line) % 2`): the even half may serve as training negatives
 * ('train'), the odd half is only ever used to measure the benign flag rate ('measure'). The
 * halves are disjoint by text (a repeated line always falls in the same half). The one part that
 * is not benign (en_davidson_tweets: offensive-heavy, and the Davidson dataset itself) is never
 * used for either.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { fnv1a32 } from '../../src/classifier/hash.js';

const partsSchema = z.array(z.object({ name: z.string(), lines: z.number().int().nonnegative() }));

/** Benign parts and their language ('mixed' lines are "EN<TAB>ZH"). */
export const BENIGN_PARTS: Readonly<Record<string, 'zh' | 'en' | 'mixed'>> = {
  'zh_clue_news_web.txt': 'zh',
  'zh_douban_book_review.txt': 'zh',
  'zh_chnsenticorp_reviews.txt': 'zh',
  'zh_waimai_10k.txt': 'zh',
  'zh_online_shopping_10_cats.txt': 'zh',
  'mixed_news_commentary_en_zh.txt': 'mixed',
  'en_tinyshakespeare.txt': 'en',
};
/** Never used: not benign. */
export const EXCLUDED_PARTS = ['en_davidson_tweets.txt'] as const;

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
    const benign = part.name in BENIGN_PARTS;
    for (let i = offset; i < offset + part.lines; i++) {
      const text = lines[i];
      if (text === undefined || text.trim() === '' || !benign) continue;
      const use = fnv1a32('corpus-split:' + text) % 2 === 0 ? 'train' : 'measure';
      out.push({ part: part.name, text, use });
    }
    offset += part.lines;
  }
  return out;
}

/** The training documents of a corpus line, with their language (a parallel line gives both sides). */
export function trainingDocuments(line: CorpusLine): { text: string; lang: 'zh' | 'en' }[] {
  const kind = BENIGN_PARTS[line.part];
  if (kind === 'mixed') {
    const [en, zh] = line.text.split('\t');
    return [
      ...(en !== undefined && en.trim() !== '' ? [{ text: en, lang: 'en' as const }] : []),
      ...(zh !== undefined && zh.trim() !== '' ? [{ text: zh, lang: 'zh' as const }] : []),
    ];
  }
  return [{ text: line.text, lang: kind === 'en' ? 'en' : 'zh' }];
}

/**
 * Short generic fragments of a benign document (clauses between punctuation, 1-6 content units):
 * short benign texts are what the original model over-flagged, and the corpus has few of them.
 */
export function shortFragments(text: string): string[] {
  return text
    .split(/[，。！？；、,.!?;:：\t]+/u)
    .map((s) => s.trim())
    .filter((s) => {
      if (s === '') return false;
      const cjk = (s.match(/\p{Script=Han}/gu) ?? []).length;
      const words = (s.match(/[A-Za-z]+/g) ?? []).length;
      const units = cjk + words;
      return units >= 1 && units <= 6;
    });
}
