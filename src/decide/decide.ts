/**
 * The decision stage: keyword scan (and, when asked, model scores) → one
 * verdict per text. The strictest action wins: block > flag > allow.
 */
import type { CategoryScore } from '../classifier/types.js';
import type { KeywordMatch, KeywordScan } from '../match/keywords.js';
import type { Taxonomy } from '../taxonomy/taxonomy.js';
import { isStricter, type Action, type Verdict } from './types.js';

export interface CategoryVerdict {
  readonly id: string;
  readonly code: string;
  readonly group: string;
  readonly verdict: Exclude<Action, 'allow'>;
  /** 1 for keyword hits; the model's probability for model hits. */
  readonly score: number;
  readonly source: 'keyword' | 'model';
}

export interface ItemResult {
  readonly verdict: Verdict;
  readonly decided_by: 'keyword' | 'model' | 'none';
  readonly categories: CategoryVerdict[];
  readonly matches: KeywordMatch[];
  /** Present (true) when more matches were found than listed. */
  readonly matches_truncated?: true;
  /** Present (true) when the model was to be asked but failed or ran out of time: the keyword verdict stands alone. */
  readonly degraded?: true;
}

/**
 * Combines the keyword scan with model scores (null: the model was not asked
 * or did not answer). Per category the stricter source wins; on a tie the
 * keyword does (it carries evidence: matched terms and positions).
 */
export function decide(
  scan: KeywordScan,
  modelScores: readonly CategoryScore[] | null,
  taxonomy: Taxonomy,
  active: ReadonlySet<string> | null,
): Omit<ItemResult, 'degraded'> {
  const byCategory = new Map<string, CategoryVerdict>();
  for (const [id, verdict] of scan.categories) {
    const c = taxonomy.get(id);
    byCategory.set(id, { id, code: c.code, group: c.group, verdict, score: 1, source: 'keyword' });
  }
  let keywordVerdict: Verdict = scan.strictest;
  let verdict: Verdict = keywordVerdict;
  if (modelScores) {
    for (const s of modelScores) {
      if (s.action === 'allow' || (active !== null && !active.has(s.category))) continue;
      const existing = byCategory.get(s.category);
      if (existing && !isStricter(s.action, existing.verdict)) continue;
      const c = taxonomy.get(s.category);
      byCategory.set(s.category, { id: s.category, code: c.code, group: c.group, verdict: s.action, score: s.score, source: 'model' });
      if (isStricter(s.action, verdict)) verdict = s.action;
    }
  }
  const decidedBy = verdict === 'allow' ? 'none' : isStricter(verdict, keywordVerdict) ? 'model' : 'keyword';
  const categories = [...byCategory.values()].sort(
    (a, b) => (a.verdict === b.verdict ? b.score - a.score : a.verdict === 'block' ? -1 : 1) || a.id.localeCompare(b.id),
  );
  return {
    verdict,
    decided_by: decidedBy,
    categories,
    matches: scan.matches,
    ...(scan.truncated ? { matches_truncated: true as const } : {}),
  };
}
