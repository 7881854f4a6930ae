import type { Action } from '../decide/types.js';
import type { Thresholds } from './modelConfig.js';

/** What a category's thresholds make of a score. */
export function actionFor(score: number, t: Thresholds): Action {
  if (score >= t.block) return 'block';
  if (score >= t.flag) return 'flag';
  return 'allow';
}
