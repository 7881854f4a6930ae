/**
 * warden as a library: `createModerator()` gives the same answers as the
 * HTTP API, in-process.
 *
 *   import { createModerator } from 'warden';
 *   const moderator = await createModerator();
 *   const { results } = await moderator.moderate('some text');
 */
export { createModerator, Moderator, ModerationInputError } from './moderate.js';
export type { ModerateOptions, ModerationResponse, ModeratorOptions, CategoryInfo, Direction, ClassifyMode } from './moderate.js';
export type { ItemResult, CategoryVerdict } from './decide/decide.js';
export type { KeywordMatch } from './match/keywords.js';
export type { Action, Verdict } from './decide/types.js';
export type { Classifier, ClassifierInput, CategoryScore } from './classifier/types.js';
export { KeywordTables } from './match/keywords.js';
export { Automaton, MatchBuffer } from './match/automaton.js';
export { Normalizer, normalizeForModel, normalizeWithMap } from './normalize/index.js';
export { loadLexicons, BUNDLED_LEXICON_DIR } from './lexicon/load.js';
export { parseLexicon, LexiconError } from './lexicon/parse.js';
export type { LexiconEntry } from './lexicon/parse.js';
export { loadTaxonomy, Taxonomy, OPENAI_CATEGORIES } from './taxonomy/taxonomy.js';
export { startServer } from './server.js';
export { loadConfig } from './config.js';
