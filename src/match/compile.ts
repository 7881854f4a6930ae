/** Lexicon directories → compiled keyword tables (the unit that hot reload swaps). */
import { loadLexicons, type LexiconFile } from '../lexicon/load.js';
import type { Taxonomy } from '../taxonomy/taxonomy.js';
import { KeywordTables } from './keywords.js';

/** One compiled set of keyword tables; replaced whole on reload, never mutated. */
export interface KeywordState {
  readonly tables: KeywordTables;
  readonly version: string;
  readonly files: readonly LexiconFile[];
  readonly dirs: readonly string[];
}

/** Loads and compiles lexicon directories; throws LexiconError (`file:line: …`) on a broken file. */
export function compileKeywords(dirs: readonly string[], taxonomy: Taxonomy, maxMatchesPerItem?: number): KeywordState {
  const lexicon = loadLexicons(dirs, taxonomy);
  const tables = KeywordTables.compile(lexicon.entries, { maxMatches: maxMatchesPerItem });
  return { tables, version: lexicon.version, files: lexicon.files, dirs };
}
