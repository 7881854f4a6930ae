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
  // ASCII fast path: most Latin text never reaches the Unicode regexes.
  const code = ch.charCodeAt(0);
  if (code < 0x80) {
    if ((code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57)) return 'word';
    return code <= 32 ? 'space' : 'symbol';
  }
  if (CJK.test(ch)) return 'cjk';
  if (WORD_CHAR.test(ch)) return 'word';
  if (ch.trim() === '') return 'space';
  return 'symbol';
}

/** Receives each feature as prefix + text[start, end) so ids can be hashed without building strings. */
type Emit = (prefix: number, text: string, start: number, end: number) => void;

const P_CJK = 0x63; // 'c'
const P_WORD = 0x77; // 'w'
const P_BIGRAM = 0x62; // 'b'
const P_GRAM = 0x67; // 'g'
const P_SYMBOL = 0x73; // 's'

function visitFeatures(window: string, s: FeaturizerSettings, emit: Emit): void {
  let cjkRun: string[] = [];
  let word = '';
  let previousWord: string | null = null;

  const flushCjk = (): void => {
    for (let i = 0; i < cjkRun.length; i++) {
      let gram = '';
      for (let n = 1; n <= s.cjkMaxN && i + n <= cjkRun.length; n++) {
        gram += cjkRun[i + n - 1];
        emit(P_CJK, gram, 0, gram.length);
      }
    }
    cjkRun = [];
  };
  const flushWord = (): void => {
    if (word === '') return;
    const token = DIGIT.test(word) ? `#${Math.min(word.length, 12)}` : word;
    emit(P_WORD, token, 0, token.length);
    if (s.wordBigrams && previousWord !== null) {
      const bigram = previousWord + ' ' + token;
      emit(P_BIGRAM, bigram, 0, bigram.length);
    }
    if (!token.startsWith('#')) {
      const padded = '<' + token + '>';
      // Code points == code units unless the word has astral characters (then slice by code point).
      const units = Array.from(padded);
      const astral = units.length !== padded.length;
      for (let n = s.latinCharMinN; n <= s.latinCharMaxN; n++) {
        // fastText skips the n-gram that is the whole padded word (the word id covers it).
        for (let i = 0; i + n <= units.length && n < units.length; i++) {
          if (astral) {
            const gram = units.slice(i, i + n).join('');
            emit(P_GRAM, gram, 0, gram.length);
          } else emit(P_GRAM, padded, i, i + n);
        }
      }
    }
    previousWord = token;
    word = '';
  };

  for (const ch of window) {
    const kind = classify(ch);
    if (kind !== 'cjk') flushCjk();
    if (kind !== 'word') flushWord();
    if (kind === 'cjk') {
      cjkRun.push(ch);
      previousWord = null; // a CJK run separates Latin words
    } else if (kind === 'word') {
      word += ch;
    } else if (kind === 'symbol') {
      emit(P_SYMBOL, ch, 0, ch.length); // emoji and punctuation carry signal (spam, hate symbols)
    }
  }
  flushCjk();
  flushWord();
}

/** The feature strings of one window, in text order (for tests and debugging; ids hash exactly these). */
export function featureStrings(window: string, s: FeaturizerSettings): string[] {
  const out: string[] = [];
  visitFeatures(window, s, (prefix, text, start, end) => out.push(String.fromCharCode(prefix) + text.slice(start, end)));
  return out;
}

/** Hashed ids of one window, at most maxIdsPerWindow, never empty (an empty text gets bucket 0). */
export function featurizeWindow(window: string, s: FeaturizerSettings): Int32Array {
  const ids: number[] = [];
  visitFeatures(window, s, (prefix, text, start, end) => {
    if (ids.length >= s.maxIdsPerWindow) return;
    // FNV-1a of prefix + text[start, end), identical to fnv1a32 of the concatenated string.
    let hash = Math.imul(0x811c9dc5 ^ prefix, 0x01000193);
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
    ids.push((hash >>> 0) % s.buckets);
  });
  return ids.length === 0 ? new Int32Array(1) : Int32Array.from(ids);
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
