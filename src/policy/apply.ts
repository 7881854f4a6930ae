/** Applying a policy to the keyword scan and to model scores (pure). */
import type { CategoryScore } from '../classifier/types.js';
import { stricter, type Action } from '../decide/types.js';
import type { KeywordMatch, KeywordScan } from '../match/keywords.js';
import type { Policy } from './policy.js';

type HitAction = Exclude<Action, 'allow'>;

/** Re-labels keyword hits with the policy's actions; hits whose category the policy allows disappear. */
export function applyPolicyToScan(scan: KeywordScan, policy: Policy | null): KeywordScan {
  if (policy === null || scan.categories.size === 0) return scan;
  const categories = new Map<string, HitAction>();
  let strictest: Action = 'allow';
  for (const [id, act] of scan.categories) {
    const next = policy.actionFor(id) ?? act;
    if (next === 'allow') continue;
    categories.set(id, next);
    strictest = stricter(strictest, next);
  }
  const matches: KeywordMatch[] = [];
  for (const m of scan.matches) {
    const next = policy.actionFor(m.category) ?? m.action;
    if (next !== 'allow') matches.push(next === m.action ? m : { ...m, action: next });
  }
  return { matches, truncated: scan.truncated, strictest, categories };
}

/** The model's scores under the policy: its thresholds first, then its actions for what passes them. */
export function applyPolicyToScores(scores: readonly CategoryScore[], policy: Policy | null): CategoryScore[] {
  if (policy === null) return [...scores];
  return scores.map((s) => {
    const t = policy.thresholds.get(s.category);
    let action: Action = t ? (s.score >= t.block ? 'block' : s.score >= t.flag ? 'flag' : 'allow') : s.action;
    if (action !== 'allow') action = policy.actionFor(s.category) ?? action;
    return action === s.action ? s : { ...s, action };
  });
}
