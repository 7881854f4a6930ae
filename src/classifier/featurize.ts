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

/**
 * Receives each feature without building its string, so ids can be hashed in place:
 * `range`: prefix + text[start, end); `padded`: prefix + ("<" + token + ">")[start, end);
 * `pair`: prefix + a + " " + b.
 */
interface Emit {
  range(prefix: number, text: string, start: number, end: number): void;
  padded(prefix: number, token: string, start: number, end: number): void;
  pair(prefix: number, a: string, b: string): void;
}

const P_CJK = 0x63; // 'c'
const P_WORD = 0x77; // 'w'
const P_BIGRAM = 0x62; // 'b'
const P_GRAM = 0x67; // 'g'
const P_SYMBOL = 0x73; // 's'

function visitFeatures(window: string, s: FeaturizerSettings, emit: Emit): void {
  let cjkRun: string[] = [];
  // The current Latin word is window[wordStart, wordEnd) (its characters are contiguous); -1 = none.
  let wordStart = -1;
  let wordEnd = -1;
  let previousWord: string | null = null;

  const flushCjk = (): void => {
    if (cjkRun.length === 0) return;
    for (let i = 0; i < cjkRun.length; i++) {
      let gram = '';
      for (let n = 1; n <= s.cjkMaxN && i + n <= cjkRun.length; n++) {
        gram += cjkRun[i + n - 1];
        emit.range(P_CJK, gram, 0, gram.length);
      }
    }
    cjkRun = [];
  };
  const flushWord = (): void => {
    if (wordStart < 0) return;
    const word = window.slice(wordStart, wordEnd);
    wordStart = -1;
    const token = isDigits(word) ? `#${Math.min(word.length, 12)}` : word;
    emit.range(P_WORD, token, 0, token.length);
    if (s.wordBigrams && previousWord !== null) emit.pair(P_BIGRAM, previousWord, token);
    if (token.charCodeAt(0) !== 0x23 /* '#' */) {
      if (!hasSurrogates(token)) {
        // Code points == code units: hash the n-grams of "<token>" in place.
        const len = token.length + 2;
        for (let n = s.latinCharMinN; n <= s.latinCharMaxN && n < len; n++) {
          // fastText skips the n-gram that is the whole padded word (the word id covers it).
          for (let i = 0; i + n <= len; i++) emit.padded(P_GRAM, token, i, i + n);
        }
      } else {
        const units = Array.from('<' + token + '>');
        for (let n = s.latinCharMinN; n <= s.latinCharMaxN; n++) {
          for (let i = 0; i + n <= units.length && n < units.length; i++) {
            const gram = units.slice(i, i + n).join('');
            emit.range(P_GRAM, gram, 0, gram.length);
          }
        }
      }
    }
    previousWord = token;
  };

  for (let i = 0; i < window.length; ) {
    const code = window.charCodeAt(i);
    let kind: CharClass;
    let size = 1;
    if (code < 0x80) {
      // ASCII fast path (no per-character string).
      kind = (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) ? 'word' : code <= 32 ? 'space' : 'symbol';
    } else {
      const cp = window.codePointAt(i)!;
      size = cp > 0xffff ? 2 : 1;
      kind = classify(window.slice(i, i + size));
    }
    if (kind !== 'cjk') flushCjk();
    if (kind !== 'word') flushWord();
    if (kind === 'cjk') {
      cjkRun.push(window.slice(i, i + size));
      previousWord = null; // a CJK run separates Latin words
    } else if (kind === 'word') {
      if (wordStart < 0) wordStart = i;
      wordEnd = i + size;
    } else if (kind === 'symbol') {
      emit.range(P_SYMBOL, window, i, i + size); // emoji and punctuation carry signal (spam, hate symbols)
    }
    i += size;
  }
  flushCjk();
  flushWord();
}

function isDigits(word: string): boolean {
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c >= 0x80) return DIGIT.test(word);
    if (c < 48 || c > 57) return false;
  }
  return word.length > 0;
}

function hasSurrogates(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) return true;
  }
  return false;
}

/** The feature strings of one window, in text order (for tests and debugging; ids hash exactly these). */
export function featureStrings(window: string, s: FeaturizerSettings): string[] {
  const out: string[] = [];
  const p = (prefix: number): string => String.fromCharCode(prefix);
  visitFeatures(window, s, {
    range: (prefix, text, start, end) => out.push(p(prefix) + text.slice(start, end)),
    padded: (prefix, token, start, end) => out.push(p(prefix) + ('<' + token + '>').slice(start, end)),
    pair: (prefix, a, b) => out.push(p(prefix) + a + ' ' + b),
  });
  return out;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** Hashed ids of one window, at most maxIdsPerWindow, never empty (an empty text gets bucket 0). */
export function featurizeWindow(window: string, s: FeaturizerSettings): Int32Array {
  const ids = new Int32Array(s.maxIdsPerWindow);
  const buckets = s.buckets;
  let count = 0;
  // FNV-1a of the feature string (prefix + text), computed without building it: identical to
  // fnv1a32 of the concatenated string (all features are BMP code units here).
  visitFeatures(window, s, {
    range(prefix, text, start, end) {
      if (count >= ids.length) return;
      let hash = Math.imul(FNV_OFFSET ^ prefix, FNV_PRIME);
      for (let i = start; i < end; i++) hash = Math.imul(hash ^ text.charCodeAt(i), FNV_PRIME);
      ids[count++] = (hash >>> 0) % buckets;
    },
    padded(prefix, token, start, end) {
      if (count >= ids.length) return;
      let hash = Math.imul(FNV_OFFSET ^ prefix, FNV_PRIME);
      const last = token.length + 1;
      for (let i = start; i < end; i++) {
        const c = i === 0 ? 0x3c /* < */ : i === last ? 0x3e /* > */ : token.charCodeAt(i - 1);
        hash = Math.imul(hash ^ c, FNV_PRIME);
      }
      ids[count++] = (hash >>> 0) % buckets;
    },
    pair(prefix, a, b) {
      if (count >= ids.length) return;
      let hash = Math.imul(FNV_OFFSET ^ prefix, FNV_PRIME);
      for (let i = 0; i < a.length; i++) hash = Math.imul(hash ^ a.charCodeAt(i), FNV_PRIME);
      hash = Math.imul(hash ^ 0x20, FNV_PRIME);
      for (let i = 0; i < b.length; i++) hash = Math.imul(hash ^ b.charCodeAt(i), FNV_PRIME);
      ids[count++] = (hash >>> 0) % buckets;
    },
  });
  return count === 0 ? new Int32Array(1) : ids.slice(0, count);
}

/** Splits text into overlapping windows of code points; a short text is one window. */
export function splitWindows(text: string, s: Pick<FeaturizerSettings, 'windowChars' | 'windowStride'>): string[] {
  if (text.length <= s.windowChars) return [text]; // code points <= code units
  if (!hasSurrogates(text)) {
    // Code points == code units: slice directly.
    const windows: string[] = [];
    for (let start = 0; ; start += s.windowStride) {
      const end = Math.min(start + s.windowChars, text.length);
      windows.push(text.slice(start, end));
      if (end === text.length) break;
    }
    return windows;
  }
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
