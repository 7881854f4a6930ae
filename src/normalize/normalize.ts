/**
 * The evasion normaliser: folds a text character by character (see fold.ts)
 * and decides which separators are real, keeping for every output unit the
 * span of the original text it came from.
 *
 * Separators (spaces, punctuation, symbols, emoji) are handled so that noise
 * interleaved inside a term disappears while ordinary word gaps survive:
 *
 * - a run of separators between two *single-character tokens* is dropped:
 *   "f.u.c.k" → "fuck", "法 轮 功" → "法轮功", "炸*弹" → "炸弹" (every CJK
 *   character is a token of its own; a Latin token is single when it is one
 *   letter or digit long);
 * - any other run becomes one space: "of u c k" → "of uck", so no "fuck";
 * - line breaks, and runs longer than MAX_NOISE_RUN, are always kept
 *   (as a line break where they separate single characters);
 * - leading and trailing separators are dropped.
 *
 * Whether a Latin token is single is only known one character later, so a
 * dropped gap is remembered and re-inserted if the next token goes on.
 *
 * Written by hand: this is the heart of the product (an exact offset map
 * through folding and gap removal), and it runs once per request character.
 */
import { CharClass, EXPANSION, foldSupplementary, foldTables, type FoldTables } from './fold.js';

/** Gap runs longer than this are real separators even between single characters. */
export const MAX_NOISE_RUN = 3;

/**
 * A normalised text: UTF-16 units plus, for each unit, the half-open span
 * [from, to) of UTF-16 offsets in the original text it came from. A kept gap
 * unit spans the whole separator run. Arrays are longer than `length`.
 */
export interface NormalizedText {
  readonly units: Uint16Array;
  readonly from: Int32Array;
  readonly to: Int32Array;
  readonly length: number;
  /** Whether the original has surrogates (then UTF-16 offsets are not code-point offsets). */
  readonly hasSurrogates: boolean;
}

const enum Token {
  None = 0,
  Word = 1,
  Cjk = 2,
}

/**
 * A normaliser with reusable buffers: `normalize` allocates nothing once the
 * buffers have grown to the largest text seen. The returned view is valid
 * until the next call on the same instance.
 */
export class Normalizer {
  private units = new Uint16Array(1024);
  private from = new Int32Array(1024);
  private to = new Int32Array(1024);
  private readonly tables: FoldTables = foldTables();

  normalize(text: string): NormalizedText {
    const { cls: clsTable, unit: unitTable, expansions } = this.tables;
    const len = text.length;
    // The longest single-character expansion (U+FDFA) is 18 units; gaps add 1.
    this.reserve(len + 32);
    let units = this.units;
    let from = this.from;
    let to = this.to;

    let n = 0;
    let hasSurrogates = false;
    let lastToken: Token = Token.None;
    let wordRun = 0; // letters in the current input token
    let outRun = 0; // letters in the current output token (singles joined by dropped gaps add up)
    let gapStart = -1;
    let gapEnd = 0;
    let gapCount = 0;
    let gapHard = false;
    let deferredAt = -1;
    let deferredFrom = 0;
    let deferredTo = 0;

    for (let i = 0; i < len; ) {
      const c = text.charCodeAt(i);
      let next = i + 1;
      let cls: number;
      let unit = 0;
      let expansion: string | undefined;
      if (c >= 0xd800 && c <= 0xdfff) {
        hasSurrogates = true;
        const low = i + 1 < len ? text.charCodeAt(i + 1) : 0;
        if (c <= 0xdbff && low >= 0xdc00 && low <= 0xdfff) {
          const fold = foldSupplementary(((c - 0xd800) << 10) + (low - 0xdc00) + 0x10000);
          cls = fold.cls;
          expansion = fold.text;
          next = i + 2;
        } else {
          cls = CharClass.Delete; // a lone surrogate is transparent
        }
      } else {
        cls = clsTable[c]!;
        unit = unitTable[c]!;
        if (unit === EXPANSION) expansion = expansions.get(c);
      }

      if (cls === CharClass.Word || cls === CharClass.Cjk) {
        if (gapStart >= 0) {
          const previousSingle = lastToken === Token.Cjk || wordRun === 1;
          const currentSingleKnown = cls === CharClass.Cjk;
          if (gapHard || !previousSingle) {
            // A hard gap after a single output character is written as a line break, so
            // that normalising the output again keeps it rather than dropping it (idempotence).
            const previousOutputSingle = lastToken === Token.Cjk || outRun === 1;
            units[n] = gapHard && previousOutputSingle ? 0x0a : 0x20;
            from[n] = gapStart;
            to[n] = gapEnd;
            n++;
            outRun = 0;
          } else if (!currentSingleKnown) {
            deferredAt = n;
            deferredFrom = gapStart;
            deferredTo = gapEnd;
          }
          gapStart = -1;
          wordRun = 0;
        } else if (cls === CharClass.Word && lastToken === Token.Word) {
          if (deferredAt >= 0) {
            // The token after a dropped gap goes on: it was not single, so the gap was real.
            for (let k = n; k > deferredAt; k--) {
              units[k] = units[k - 1]!;
              from[k] = from[k - 1]!;
              to[k] = to[k - 1]!;
            }
            units[deferredAt] = 0x20;
            from[deferredAt] = deferredFrom;
            to[deferredAt] = deferredTo;
            n++;
            deferredAt = -1;
            outRun = wordRun;
          }
        } else {
          wordRun = 0;
          outRun = 0;
        }

        if (cls === CharClass.Word) {
          // Count output letters, not input characters: "ﬁ" is two letters.
          const letters = expansion === undefined ? 1 : expansion.length;
          wordRun += letters;
          outRun += letters;
          lastToken = Token.Word;
        } else {
          deferredAt = -1;
          wordRun = 0;
          outRun = 0;
          lastToken = Token.Cjk;
        }

        if (expansion === undefined) {
          units[n] = unit;
          from[n] = i;
          to[n] = next;
          n++;
        } else {
          if (n + expansion.length + 2 > units.length) {
            this.reserve(n + expansion.length + (len - i) + 32);
            units = this.units;
            from = this.from;
            to = this.to;
          }
          for (let k = 0; k < expansion.length; k++) {
            units[n] = expansion.charCodeAt(k);
            from[n] = i;
            to[n] = next;
            n++;
          }
        }
      } else if (cls === CharClass.Gap || cls === CharClass.Break) {
        if (lastToken !== Token.None) {
          if (gapStart < 0) {
            gapStart = i;
            gapCount = 0;
            gapHard = false;
          }
          gapEnd = next;
          gapCount++;
          if (cls === CharClass.Break || gapCount > MAX_NOISE_RUN) gapHard = true;
          deferredAt = -1; // the token before this gap has ended: a single one stays single
        }
      }
      // CharClass.Delete: transparent, tokens run on across it.
      i = next;
    }
    return { units, from, to, length: n, hasSurrogates };
  }

  private reserve(size: number): void {
    if (size <= this.units.length) return;
    let cap = this.units.length;
    while (cap < size) cap *= 2;
    const units = new Uint16Array(cap);
    const from = new Int32Array(cap);
    const to = new Int32Array(cap);
    units.set(this.units);
    from.set(this.from);
    to.set(this.to);
    this.units = units;
    this.from = from;
    this.to = to;
  }
}

const utf16 = new TextDecoder('utf-16le');

/** The normalised text as a string. */
export function unitsToString(normalized: NormalizedText): string {
  const view = normalized.units.subarray(0, normalized.length);
  return utf16.decode(view);
}

const shared = new Normalizer();

/**
 * The normalised form of a text as a plain string: what the keyword tables
 * match against and what the classifier's featuriser reads.
 */
export function normalizeToString(text: string): string {
  return unitsToString(shared.normalize(text));
}

/** A normalised text with its offset map copied out (for callers that keep it). */
export interface NormalizedCopy {
  readonly text: string;
  /** UTF-16 offset in the original where each normalised unit's source starts. */
  readonly from: Int32Array;
  /** UTF-16 offset in the original where each normalised unit's source ends. */
  readonly to: Int32Array;
}

export function normalizeWithMap(text: string): NormalizedCopy {
  const view = shared.normalize(text);
  return {
    text: unitsToString(view),
    from: view.from.slice(0, view.length),
    to: view.to.slice(0, view.length),
  };
}

/**
 * Converts UTF-16 offsets into code-point offsets, as the API reports them.
 * Only texts with surrogates need the walk; `offsets` may be in any order.
 */
export function codePointOffsets(text: string, offsets: readonly number[]): number[] {
  if (offsets.length === 0) return [];
  let max = 0;
  for (const o of offsets) if (o > max) max = o;
  const prefix = new Int32Array(max + 1);
  let cp = 0;
  for (let i = 0; i < max; i++) {
    prefix[i] = cp;
    const c = text.charCodeAt(i);
    // The low half of a pair shares its code point with the high half.
    const isLowOfPair =
      c >= 0xdc00 && c <= 0xdfff && i > 0 && text.charCodeAt(i - 1) >= 0xd800 && text.charCodeAt(i - 1) <= 0xdbff;
    if (!isLowOfPair) cp++;
  }
  prefix[max] = cp;
  return offsets.map((o) => prefix[o]!);
}
