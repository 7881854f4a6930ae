/**
 * The featuriser: turns evasion-normalised text into hashed n-gram ids, one bag per window.
 * Training (scripts/train) and serving (FastTextClassifier) both call `featurizeWindows`, so the
 * ids a model was trained on are exactly the ids it is served.
 *
 * Chinese/Japanese/Korean runs give character 1..cjkMaxN-grams (no word segmenter needed);
 * Latin-script words give the word, word bigrams and fastText-style character n-grams of
 * "<word>", so misspellings and inflections share features. Digit runs become a length shape
 * (phone numbers and prices matter for spam, their exact digits do not).
 */
import { fnv1a32 } from './hash.js';

export interface FeaturizerSettings {
  /** Number of hash buckets (rows of the embedding table). */
  readonly buckets: number;
  /** Longest CJK character n-gram. */
  readonly cjkMaxN: number;
  /** Shortest and longest character n-gram of a Latin word (on "<word>"). */
  readonly latinCharMinN: number;
  readonly latinCharMaxN: number;
  /** Emit Latin word bigrams. */
  readonly wordBigrams: boolean;
  /** Window length in code points; longer texts are split and scored by their worst window. */
  readonly windowChars: number;
  /** Distance between window starts (windowChars - overlap). */
  readonly windowStride: number;
  /** At most this many ids per window (the rest are dropped; keeps tensors bounded). */
  readonly maxIdsPerWindow: number;
}

export const DEFAULT_FEATURIZER: FeaturizerSettings = {
  buckets: 1 << 19,
  cjkMaxN: 3,
  latinCharMinN: 3,
  latinCharMaxN: 5,
  wordBigrams: true,
  windowChars: 256,
  windowStride: 192,
  maxIdsPerWindow: 2048,
};

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;
const DIGIT = /^\p{Nd}+$/u;

type CharClass = 'cjk' | 'word' | 'space' | 'symbol';

function classify(ch: string): CharClass {
  if (CJK.test(ch)) return 'cjk';
  if (WORD_CHAR.test(ch)) return 'word';
  if (ch.trim() === '') return 'space';
  return 'symbol';
}

/** The feature strings of one window, in text order (exported for tests and debugging). */
export function featureStrings(window: string, s: FeaturizerSettings): string[] {
  const out: string[] = [];
  const chars = Array.from(window);
  let cjkRun: string[] = [];
  let word = '';
  let previousWord: string | null = null;

  const flushCjk = (): void => {
    for (let i = 0; i < cjkRun.length; i++) {
      let gram = '';
      for (let n = 1; n <= s.cjkMaxN && i + n <= cjkRun.length; n++) {
        gram += cjkRun[i + n - 1];
        out.push('c' + gram);
      }
    }
    cjkRun = [];
  };
  const flushWord = (): void => {
    if (word === '') return;
    const token = DIGIT.test(word) ? `#${Math.min(word.length, 12)}` : word;
    out.push('w' + token);
    if (s.wordBigrams && previousWord !== null) out.push('b' + previousWord + ' ' + token);
    if (!token.startsWith('#')) {
      const padded = Array.from('<' + token + '>');
      for (let n = s.latinCharMinN; n <= s.latinCharMaxN; n++) {
        // fastText skips the n-gram that is the whole padded word (the word id covers it).
        for (let i = 0; i + n <= padded.length && n < padded.length; i++) {
          out.push('g' + padded.slice(i, i + n).join(''));
        }
      }
    }
    previousWord = token;
    word = '';
  };

  for (const ch of chars) {
    const kind = classify(ch);
    if (kind !== 'cjk') flushCjk();
    if (kind !== 'word') flushWord();
    if (kind === 'cjk') {
      cjkRun.push(ch);
      previousWord = null; // a CJK run separates Latin words
    } else if (kind === 'word') {
      word += ch;
    } else if (kind === 'symbol') {
      out.push('s' + ch); // emoji and punctuation carry signal (spam, hate symbols)
    }
  }
  flushCjk();
  flushWord();
  return out;
}

/** Hashed ids of one window, at most maxIdsPerWindow, never empty (an empty text gets id 0). */
export function featurizeWindow(window: string, s: FeaturizerSettings): Int32Array {
  const features = featureStrings(window, s);
  const count = Math.max(1, Math.min(features.length, s.maxIdsPerWindow));
  const ids = new Int32Array(count);
  for (let i = 0; i < features.length && i < count; i++) {
    ids[i] = fnv1a32(features[i]!) % s.buckets;
  }
  return ids;
}

/** Splits text into overlapping windows of code points; a short text is one window. */
export function splitWindows(text: string, s: Pick<FeaturizerSettings, 'windowChars' | 'windowStride'>): string[] {
  const chars = Array.from(text);
  if (chars.length <= s.windowChars) return [text];
  const windows: string[] = [];
  for (let start = 0; ; start += s.windowStride) {
    const end = Math.min(start + s.windowChars, chars.length);
    windows.push(chars.slice(start, end).join(''));
    if (end === chars.length) break;
  }
  return windows;
}

/** One id bag per window of the normalised text: the single entry point for training and serving. */
export function featurizeWindows(normalized: string, s: FeaturizerSettings): Int32Array[] {
  return splitWindows(normalized, s).map((w) => featurizeWindow(w, s));
}
