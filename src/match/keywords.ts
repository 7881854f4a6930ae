/**
 * Keyword tables: every lexicon entry compiled into one automaton over the
 * normalised form of its term, and the rules that turn raw automaton hits
 * into reported matches (word boundaries, allow-list cover, category filter,
 * offsets back into the original text).
 */
import type { Action } from '../decide/types.js';
import { LexiconError, type LexiconEntry } from '../lexicon/parse.js';
import { codePointOffsets, foldTables, Normalizer, normalizeToString, unitsToString, type NormalizedText } from '../normalize/index.js';
import { Automaton, MatchBuffer, type AutomatonParts } from './automaton.js';

/** A reported keyword hit, as it appears in the API. */
export interface KeywordMatch {
  /** The lexicon term as written in its file. */
  readonly term: string;
  /** Exactly the slice of the original input that matched (noise included). */
  readonly text: string;
  /** Code-point offset into the original input, inclusive. */
  readonly start: number;
  /** Code-point offset into the original input, exclusive. */
  readonly end: number;
  readonly category: string;
  readonly action: Exclude<Action, 'allow'>;
}

export interface KeywordScan {
  readonly matches: KeywordMatch[];
  /** True when more than `maxMatches` hits were found and the list was cut (the verdict still counts them all). */
  readonly truncated: boolean;
  /** The strictest action over *all* hits, including those beyond the cut. */
  readonly strictest: Action;
  /** Categories hit, with their strictest action, over all hits. */
  readonly categories: ReadonlyMap<string, Exclude<Action, 'allow'>>;
}

interface Rule {
  readonly term: string;
  /** null: an allow entry that covers every category. */
  readonly category: string | null;
  readonly action: Action;
}

interface Hit {
  readonly rule: Rule;
  readonly start: number;
  readonly end: number;
}

/** Accumulates time spent per keyword stage, in milliseconds (for metrics; optional). */
export class StageClock {
  normalize = 0;
  match = 0;
}

/** KeywordTables as plain, structured-cloneable data. */
export interface KeywordTablesParts {
  readonly automaton: AutomatonParts;
  readonly rules: readonly (readonly Rule[])[];
  readonly leftBoundary: Uint8Array;
  readonly rightBoundary: Uint8Array;
  readonly maxMatches: number;
}

export interface KeywordTablesOptions {
  /** Most matches listed per text (default 1000); the verdict still counts every hit. */
  readonly maxMatches?: number;
}

export class KeywordTables {
  readonly automaton: Automaton;
  /** Rules per pattern (pattern ids are automaton pattern ids). */
  private readonly rules: readonly (readonly Rule[])[];
  private readonly leftBoundary: Uint8Array;
  private readonly rightBoundary: Uint8Array;
  private readonly normalizer = new Normalizer();
  private readonly raw = new MatchBuffer();
  private readonly isWordUnit = foldTables().isWordUnit;
  private readonly maxMatches: number;
  /** Number of non-allow terms per category. */
  readonly termCounts: ReadonlyMap<string, number>;
  readonly allowCount: number;

  private constructor(parts: KeywordTablesParts) {
    this.automaton = Automaton.fromParts(parts.automaton);
    this.rules = parts.rules;
    this.maxMatches = parts.maxMatches;
    this.leftBoundary = parts.leftBoundary;
    this.rightBoundary = parts.rightBoundary;
    const counts = new Map<string, number>();
    let allowCount = 0;
    for (const rs of parts.rules) {
      for (const r of rs) {
        if (r.action === 'allow') allowCount++;
        else counts.set(r.category!, (counts.get(r.category!) ?? 0) + 1);
      }
    }
    this.termCounts = counts;
    this.allowCount = allowCount;
  }

  /**
   * Compiles lexicon entries. Entries whose terms normalise to the same
   * pattern share it; for the same pattern and category the later entry wins
   * (so a later directory can turn a bundled `block` into a `flag`).
   */
  static compile(entries: readonly LexiconEntry[], options: KeywordTablesOptions = {}): KeywordTables {
    const patternOf = new Map<string, number>();
    const patterns: string[] = [];
    const rules: Rule[][] = [];
    for (const entry of entries) {
      const pattern = normalizeToString(entry.term);
      if (pattern.length === 0) {
        throw new LexiconError(entry.file, entry.line, `term "${entry.term}" normalises to nothing (only separators or invisible characters)`);
      }
      let id = patternOf.get(pattern);
      if (id === undefined) {
        id = patterns.length;
        patternOf.set(pattern, id);
        patterns.push(pattern);
        rules.push([]);
      }
      const list = rules[id]!;
      const same = list.findIndex((r) => r.category === entry.category && (r.action === 'allow') === (entry.action === 'allow'));
      const rule: Rule = { term: entry.term, category: entry.category, action: entry.action };
      if (same >= 0) list[same] = rule;
      else list.push(rule);
    }
    const isWordUnit = foldTables().isWordUnit;
    return new KeywordTables({
      automaton: Automaton.compile(patterns).toParts(),
      rules,
      leftBoundary: Uint8Array.from(patterns, (p) => isWordUnit[p.charCodeAt(0)]!),
      rightBoundary: Uint8Array.from(patterns, (p) => isWordUnit[p.charCodeAt(p.length - 1)]!),
      maxMatches: options.maxMatches ?? 1000,
    });
  }

  /**
   * The compiled tables as plain data (typed arrays and plain objects), to
   * send from a worker thread that compiled them (see ops/compileWorker.ts).
   */
  toParts(): KeywordTablesParts {
    return {
      automaton: this.automaton.toParts(),
      rules: this.rules,
      leftBoundary: this.leftBoundary,
      rightBoundary: this.rightBoundary,
      maxMatches: this.maxMatches,
    };
  }

  static fromParts(parts: KeywordTablesParts): KeywordTables {
    return new KeywordTables(parts);
  }

  get patternCount(): number {
    return this.automaton.patternCount;
  }

  /** Normalises `text` and reports its keyword matches. `active`: only these categories (null: all). */
  match(text: string, active: ReadonlySet<string> | null = null, clock?: StageClock): KeywordScan {
    return this.run(text, active, clock).scan;
  }

  /**
   * Like match(), plus the text's normal form as a string: what the classifier reads, so the
   * pipeline need not normalise the text a second time for the model.
   */
  matchKeepingText(text: string, active: ReadonlySet<string> | null = null, clock?: StageClock): { scan: KeywordScan; normalized: string } {
    const { scan, normalized } = this.run(text, active, clock);
    return { scan, normalized: unitsToString(normalized) };
  }

  private run(text: string, active: ReadonlySet<string> | null, clock: StageClock | undefined): { scan: KeywordScan; normalized: NormalizedText } {
    if (clock === undefined) {
      const normalized = this.normalizer.normalize(text);
      return { scan: this.matchNormalized(text, normalized, active), normalized };
    }
    const t0 = performance.now();
    const normalized = this.normalizer.normalize(text);
    const t1 = performance.now();
    const scan = this.matchNormalized(text, normalized, active);
    clock.normalize += t1 - t0;
    clock.match += performance.now() - t1;
    return { scan, normalized };
  }

  private matchNormalized(text: string, normalized: NormalizedText, active: ReadonlySet<string> | null): KeywordScan {
    const { units, length, from, to } = normalized;
    const raw = this.raw;
    raw.reset();
    this.automaton.scan(units, length, raw);
    if (raw.count === 0) return EMPTY_SCAN;

    const { isWordUnit, leftBoundary, rightBoundary, rules } = this;
    const patternLength = this.automaton.patternLength;
    const pairs = raw.data;
    const hits: Hit[] = [];
    const allows: Hit[] = [];
    for (let i = 0, n = raw.count * 2; i < n; i += 2) {
      const pattern = pairs[i]!;
      const end = pairs[i + 1]!;
      const start = end - patternLength[pattern]!;
      // Latin and digit ends match on word boundaries: no "sb" in "disburse", no "69" in "695". Two
      // letters the normaliser joined across removed noise are a boundary too, so that spelled-out
      // words in a row ("f.u.c.k f.u.c.k" → "fuckfuck") are still found one by one.
      if (leftBoundary[pattern] && start > 0 && isWordUnit[units[start - 1]!] && to[start - 1]! >= from[start]!) continue;
      if (rightBoundary[pattern] && end < length && isWordUnit[units[end]!] && to[end - 1]! >= from[end]!) continue;
      const patternRules = rules[pattern]!;
      for (let r = 0; r < patternRules.length; r++) {
        const rule = patternRules[r]!;
        if (rule.action === 'allow') allows.push({ rule, start, end });
        else if (active === null || active.has(rule.category!)) hits.push({ rule, start, end });
      }
    }

    const kept = allows.length === 0 ? hits.sort(byPosition) : uncovered(hits, allows);
    if (kept.length === 0) return EMPTY_SCAN;

    let strictest: Action = 'allow';
    const categories = new Map<string, Exclude<Action, 'allow'>>();
    for (const h of kept) {
      const action = h.rule.action as Exclude<Action, 'allow'>;
      if (action === 'block') strictest = 'block';
      else if (strictest === 'allow') strictest = 'flag';
      const previous = categories.get(h.rule.category!);
      if (previous !== 'block') categories.set(h.rule.category!, action);
    }

    const count = Math.min(kept.length, this.maxMatches);
    const u16: number[] = new Array(2 * count); // [start, end) of each match in the original, in UTF-16 units
    for (let k = 0; k < count; k++) {
      u16[2 * k] = from[kept[k]!.start]!;
      u16[2 * k + 1] = to[kept[k]!.end - 1]!;
    }
    // The API counts code points; only texts with surrogates need the conversion.
    const cp = normalized.hasSurrogates ? codePointOffsets(text, u16) : u16;
    const matches: KeywordMatch[] = new Array(count);
    for (let k = 0; k < count; k++) {
      const { rule } = kept[k]!;
      matches[k] = {
        term: rule.term,
        text: text.slice(u16[2 * k], u16[2 * k + 1]),
        start: cp[2 * k]!,
        end: cp[2 * k + 1]!,
        category: rule.category!,
        action: rule.action as Exclude<Action, 'allow'>,
      };
    }
    return { matches, truncated: count < kept.length, strictest, categories };
  }
}

const byPosition = (a: Hit, b: Hit): number => a.start - b.start || b.end - a.end;

/**
 * The hits no allow hit covers (an allow hit covers a hit when its span
 * contains the hit's and it applies to the hit's category). One sweep over
 * both lists sorted by start, so a text crafted to hit many allow and deny
 * terms costs O(n log n), not O(n²).
 */
function uncovered(hits: Hit[], allows: Hit[]): Hit[] {
  hits.sort(byPosition);
  allows.sort(byPosition);
  const kept: Hit[] = [];
  let reachAll = -1; // furthest end of an allow hit for every category, among those started so far
  const reach = new Map<string, number>();
  let a = 0;
  for (const hit of hits) {
    for (; a < allows.length && allows[a]!.start <= hit.start; a++) {
      const allow = allows[a]!;
      if (allow.rule.category === null) reachAll = Math.max(reachAll, allow.end);
      else reach.set(allow.rule.category, Math.max(reach.get(allow.rule.category) ?? -1, allow.end));
    }
    const covered = reachAll >= hit.end || (reach.get(hit.rule.category!) ?? -1) >= hit.end;
    if (!covered) kept.push(hit);
  }
  return kept;
}

const EMPTY_SCAN: KeywordScan = { matches: [], truncated: false, strictest: 'allow', categories: new Map() };
