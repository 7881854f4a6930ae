import type { Action } from '../decide/types.js';
import type { CategoryScore } from './types.js';
import type { ModelJson, Thresholds } from './modelConfig.js';
import { actionFor } from './thresholds.js';
import type { TextProfile } from './evidence.js';

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

/** The serving decision rules of model.json that depend on the text, not only on the scores. */
export type DecisionRules = Pick<ModelJson, 'labels' | 'heads' | 'thresholds' | 'thresholdsByLanguage' | 'minEvidence'>;

/** The network's outputs in order: `heads`, or one output per label. */
export function outputsOf(rules: Pick<ModelJson, 'labels' | 'heads'>): { name: string; category: string }[] {
  return rules.heads ?? rules.labels.map((l) => ({ name: l, category: l }));
}

/** The thresholds of output `name` (a head, or a label) for a text in language `lang`. */
export function thresholdsFor(rules: DecisionRules, name: string, lang: TextProfile['lang']): Thresholds {
  return rules.thresholdsByLanguage?.[lang]?.[name] ?? rules.thresholds[name]!;
}

const RANK: Record<Action, number> = { allow: 0, flag: 1, block: 2 };

/**
 * A text's score and action per label from its output scores: per-language thresholds per output,
 * then the minimum-evidence rule (a text with fewer than `minEvidence.units` content units is never
 * blocked and is flagged only at `minEvidence.flag` or above); a label takes its highest head score
 * and its strictest head action. Training, evaluation and serving all decide through this.
 */
export function decideLabels(
  outputScores: ArrayLike<number>,
  rules: DecisionRules,
  profile: Pick<TextProfile, 'lang' | 'units'>,
): { scores: Float64Array; actions: Action[] } {
  const thin = rules.minEvidence !== undefined && profile.units < rules.minEvidence.units;
  const scores = new Float64Array(rules.labels.length);
  const actions: Action[] = rules.labels.map(() => 'allow');
  outputsOf(rules).forEach((out, o) => {
    const l = rules.labels.indexOf(out.category);
    const score = outputScores[o]!;
    scores[l] = Math.max(scores[l]!, score);
    let action = actionFor(score, thresholdsFor(rules, out.name, profile.lang));
    if (thin && action !== 'allow') action = score >= rules.minEvidence!.flag ? 'flag' : 'allow';
    if (RANK[action] > RANK[actions[l]!]) actions[l] = action;
  });
  return { scores, actions };
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
