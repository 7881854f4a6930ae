/**
 * Per-character folding: what each code point becomes before matching, and
 * which class the result belongs to.
 *
 * Folding is defined as a pipeline of small transformers (in the manner of
 * the `obscenity` library), each a pure `string -> string` on one character:
 *
 *   compatibility (NFKD: width, fancy letters, ligatures) → lower case →
 *   marks stripped → enclosed alphanumerics unwrapped (⑴ → 1, ㈠ → 一) →
 *   traditional → simplified (opencc-js) → Cyrillic/Greek look-alikes → Latin
 *
 * The pipeline is far too slow to run per character on the hot path, so it
 * is evaluated once per BMP code point into flat lookup tables (and once per
 * code point of the few supplementary blocks that need it). The scanner in
 * normalize.ts then does one table load per character. Written by hand: no
 * library offers a character fold with an exact offset map.
 */
import * as OpenCC from 'opencc-js/t2cn';

/** The class of a folded character, which drives gap skipping and word boundaries. */
export const enum CharClass {
  /** Removed without trace: zero-width and format characters, combining marks, most controls. */
  Delete = 0,
  /** Letters and digits of alphabetic scripts: they form words with boundaries. */
  Word = 1,
  /** Han, kana, hangul: every character is a token of its own; no boundaries. */
  Cjk = 2,
  /** Spaces, punctuation, symbols, emoji: separators that may be noise inside a term. */
  Gap = 3,
  /** Line breaks: a separator that is never skipped. */
  Break = 4,
}

// ---------------------------------------------------------------------------
// The transformers
// ---------------------------------------------------------------------------

type CharTransformer = (s: string, original: number) => string;

const compatibility: CharTransformer = (s) => s.normalize('NFKD');
const lowerCase: CharTransformer = (s) => s.toLowerCase().normalize('NFKD');
const stripMarks: CharTransformer = (s) => s.replace(/\p{Mn}|\p{Me}/gu, '');

function isEnclosedAlphanumeric(cp: number): boolean {
  return (
    (cp >= 0x2460 && cp <= 0x24ff) || // ① ⑴ ⒈ ⒜ Ⓐ ⓐ
    (cp >= 0x2776 && cp <= 0x2793) || // ❶ ➀ ➊
    (cp >= 0x3200 && cp <= 0x32ff) || // ㈠ ㊀ ㊄
    (cp >= 0x1f100 && cp <= 0x1f1ff) // 🄐 🅐 🅰
  );
}

/** ⑴ → "(1)" under NFKD; the brackets and dots are decoration, not text. */
const unwrapEnclosed: CharTransformer = (s, original) =>
  isEnclosedAlphanumeric(original) ? s.replace(/[().\s]/g, '') : s;

/** Negative squared/circled Latin letters (🅰 🅱) have no decomposition; map them by offset. */
function enclosedLetterWithoutDecomposition(cp: number): string | null {
  if (cp >= 0x1f150 && cp <= 0x1f169) return String.fromCharCode(0x61 + cp - 0x1f150); // 🅐
  if (cp >= 0x1f170 && cp <= 0x1f189) return String.fromCharCode(0x61 + cp - 0x1f170); // 🅰
  if (cp >= 0x1f130 && cp <= 0x1f149) return String.fromCharCode(0x61 + cp - 0x1f130); // 🄰
  if (cp >= 0x2776 && cp <= 0x277f) return String(cp - 0x2776 + 1); // ❶
  if (cp >= 0x2780 && cp <= 0x2789) return String(cp - 0x2780 + 1); // ➀
  if (cp >= 0x278a && cp <= 0x2793) return String(cp - 0x278a + 1); // ➊
  return null;
}

/**
 * Cyrillic and Greek letters that pass for Latin ones in mixed-script evasion
 * ("раypal", "ѕех"). Lower case only: case folding has already run.
 */
const LOOKALIKES: Record<string, string> = {
  // Cyrillic
  а: 'a', в: 'b', е: 'e', ё: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x',
  ѕ: 's', і: 'i', ї: 'i', ј: 'j', ԁ: 'd', ԛ: 'q', ԝ: 'w', һ: 'h', ӏ: 'l', ɡ: 'g', ү: 'y', ѵ: 'v', ь: 'b',
  // Greek
  α: 'a', β: 'b', ε: 'e', η: 'n', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x', ω: 'w',
  γ: 'y', μ: 'u', ς: 's', ϲ: 'c', ϳ: 'j',
  // Latin letters that NFKD leaves alone but readers take for plain ones
  ı: 'i', ȷ: 'j', ł: 'l', ø: 'o', đ: 'd', ħ: 'h', ŧ: 't', ß: 'ss', æ: 'ae', œ: 'oe', ɑ: 'a', ɩ: 'i', ʋ: 'u',
};
const foldLookalikes: CharTransformer = (s) => {
  let out = '';
  for (const ch of s) out += LOOKALIKES[ch] ?? ch;
  return out;
};

// opencc-js converts whole strings; traditional → simplified is character-level
// for our purpose, so the table for all CJK code points is built with three
// calls (standard, Taiwan and Hong Kong variants) rather than one per character.
const CJK_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x2e80, 0x2fdf], // radicals (NFKD maps Kangxi radicals to ideographs)
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xf900, 0xfaff],
];

function buildTraditionalToSimplified(): Map<string, string> {
  const chars: string[] = [];
  for (const [lo, hi] of CJK_RANGES) for (let cp = lo; cp <= hi; cp++) chars.push(String.fromCharCode(cp));
  const joined = chars.join('\n');
  const converters = [
    OpenCC.Converter({ from: 't', to: 'cn' }),
    OpenCC.Converter({ from: 'tw', to: 'cn' }),
    OpenCC.Converter({ from: 'hk', to: 'cn' }),
  ];
  const map = new Map<string, string>();
  for (const convert of converters) {
    const converted = convert(joined).split('\n');
    if (converted.length !== chars.length) continue; // a converter that merged lines is not character-level: skip it
    for (let i = 0; i < chars.length; i++) {
      const from = chars[i]!;
      const to = converted[i]!;
      if (to !== from && !map.has(from)) map.set(from, to);
    }
  }
  return map;
}

// ---------------------------------------------------------------------------
// Classes
// ---------------------------------------------------------------------------

function isCjkCodePoint(cp: number): boolean {
  return (
    (cp >= 0x2e80 && cp <= 0x2fdf) ||
    (cp >= 0x3040 && cp <= 0x30ff) || // kana
    (cp >= 0x3100 && cp <= 0x312f) || // bopomofo
    (cp >= 0x3130 && cp <= 0x318f) || // hangul compatibility jamo
    (cp >= 0x31a0 && cp <= 0x31ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xa960 && cp <= 0xa97f) ||
    (cp >= 0xac00 && cp <= 0xd7af) || // hangul syllables
    (cp >= 0x1100 && cp <= 0x11ff) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x20000 && cp <= 0x3ffff)
  );
}

const INVISIBLE = new Set([0x115f, 0x1160, 0x3164, 0xffa0, 0x2800, 0x180e, 0x034f, 0x17b4, 0x17b5]);

/** The class of one code point of *folded* text. */
function classOfFolded(cp: number): CharClass {
  if (cp === 0x0a || cp === 0x0d || cp === 0x0b || cp === 0x0c || cp === 0x85 || cp === 0x2028 || cp === 0x2029) {
    return CharClass.Break;
  }
  if (cp === 0x09) return CharClass.Gap;
  if (INVISIBLE.has(cp)) return CharClass.Delete;
  if (cp >= 0xd800 && cp <= 0xdfff) return CharClass.Delete; // lone surrogates are transparent
  if (isCjkCodePoint(cp)) return CharClass.Cjk;
  const ch = String.fromCodePoint(cp);
  if (/\p{Cc}|\p{Cf}|\p{Mn}|\p{Me}/u.test(ch)) return CharClass.Delete;
  if (/\p{Noncharacter_Code_Point}/u.test(ch)) return CharClass.Delete;
  if (/\p{L}|\p{N}|\p{Mc}/u.test(ch)) return CharClass.Word;
  return CharClass.Gap;
}

// ---------------------------------------------------------------------------
// The tables
// ---------------------------------------------------------------------------

/** A folded character: its replacement (possibly several code points, or none) and class. */
export interface Fold {
  readonly text: string;
  readonly cls: CharClass;
}

function foldWithPipeline(cp: number, t2s: Map<string, string>): Fold {
  const original = String.fromCodePoint(cp);
  const originalClass = classOfFolded(cp);
  if (originalClass === CharClass.Delete || originalClass === CharClass.Break) return { text: '', cls: originalClass };

  let s = enclosedLetterWithoutDecomposition(cp) ?? original;
  for (const transform of [compatibility, lowerCase, stripMarks, unwrapEnclosed]) s = transform(s, cp);
  s = Array.from(s, (ch) => t2s.get(ch) ?? ch).join('');
  s = foldLookalikes(s, cp);

  // Keep the classes of an expansion simple: an expansion that contains any
  // letters keeps only its letters ("a.m." → "am"), one that is all
  // separators becomes a single gap, and an empty one is deleted.
  const parts = Array.from(s, (ch) => ({ ch, cls: classOfFolded(ch.codePointAt(0)!) }));
  const solid = parts.filter((p) => p.cls === CharClass.Word || p.cls === CharClass.Cjk);
  // A mixed expansion ("㏠" → "1日") takes the class of its last character: that is the
  // token the next character meets, which keeps normalisation idempotent.
  if (solid.length > 0) return { text: solid.map((p) => p.ch).join(''), cls: solid[solid.length - 1]!.cls };
  if (parts.some((p) => p.cls === CharClass.Break)) return { text: '', cls: CharClass.Break };
  if (parts.some((p) => p.cls === CharClass.Gap)) return { text: ' ', cls: CharClass.Gap };
  return { text: '', cls: CharClass.Delete };
}

/**
 * Marker in {@link FoldTables.unit}: the fold of this code point is not a
 * single UTF-16 unit; look it up in {@link FoldTables.expansions}.
 */
export const EXPANSION = -1;

export interface FoldTables {
  /** For each BMP code point: its folded UTF-16 unit, or EXPANSION. Meaningless for Delete/Break/Gap. */
  readonly unit: Int32Array;
  /** For each BMP code point: the CharClass of its fold. */
  readonly cls: Uint8Array;
  /** Folds of BMP code points that are not one unit (ligatures, ⑽, ㍿). */
  readonly expansions: ReadonlyMap<number, string>;
  /** Folds of supplementary code points in the blocks that need folding (𝐟, 🄰, compatibility ideographs). */
  readonly supplementary: ReadonlyMap<number, Fold>;
  /** For each UTF-16 unit of *folded* text: is it a word character (for boundaries)? */
  readonly isWordUnit: Uint8Array;
}

const SUPPLEMENTARY_FOLD_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x1d400, 0x1d7ff], // mathematical alphanumerics: 𝐟 𝒇 𝔣 𝟙
  [0x1f100, 0x1f1ff], // enclosed alphanumeric supplement: 🄐 🅐 🅰 🄁
  [0x2f800, 0x2fa1f], // CJK compatibility ideographs supplement
];

let tables: FoldTables | undefined;

/** The fold tables, built on first use (about 100 ms). */
export function foldTables(): FoldTables {
  if (tables) return tables;
  const t2s = buildTraditionalToSimplified();
  const unit = new Int32Array(0x10000);
  const cls = new Uint8Array(0x10000);
  const expansions = new Map<number, string>();
  for (let cp = 0; cp < 0x10000; cp++) {
    let fold = foldWithPipeline(cp, t2s);
    // Make folding idempotent: a fold's result must fold to itself.
    if (fold.text.length === 1) {
      const again = foldWithPipeline(fold.text.charCodeAt(0), t2s);
      if (again.text !== fold.text && again.cls === fold.cls) fold = again;
    }
    cls[cp] = fold.cls;
    if (fold.text.length === 1) unit[cp] = fold.text.charCodeAt(0);
    else {
      unit[cp] = EXPANSION;
      expansions.set(cp, fold.text);
    }
  }
  const supplementary = new Map<number, Fold>();
  for (const [lo, hi] of SUPPLEMENTARY_FOLD_RANGES) {
    for (let cp = lo; cp <= hi; cp++) supplementary.set(cp, foldWithPipeline(cp, t2s));
  }
  const isWordUnit = new Uint8Array(0x10000);
  for (let u = 0; u < 0x10000; u++) isWordUnit[u] = classOfFolded(u) === CharClass.Word ? 1 : 0;
  tables = { unit, cls, expansions, supplementary, isWordUnit };
  return tables;
}

/** The fold of a supplementary-plane code point (outside the precomputed blocks: by range, never cached). */
export function foldSupplementary(cp: number): Fold {
  const known = foldTables().supplementary.get(cp);
  if (known) return known;
  if (isCjkCodePoint(cp)) return { text: String.fromCodePoint(cp), cls: CharClass.Cjk };
  if ((cp >= 0xe0000 && cp <= 0xe007f) || (cp >= 0xe0100 && cp <= 0xe01ef)) return { text: '', cls: CharClass.Delete };
  // Emoji, pictographs, historic scripts: separators for our purpose.
  return { text: ' ', cls: CharClass.Gap };
}
