import type { LexiconEntry } from '../../src/lexicon/parse.js';
import type { Action } from '../../src/decide/types.js';

/** Lexicon entries written inline: [term, category, action]. */
export function entries(rows: ReadonlyArray<readonly [string, string | null, Action]>): LexiconEntry[] {
  return rows.map(([term, category, action], i) => ({ term, category, action, file: 'inline.txt', line: i + 1 }));
}
