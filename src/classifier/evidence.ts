/**
 * What serving knows about a text besides its scores: its language (which per-language
 * thresholds apply) and how much evidence it carries (how many content units the model saw).
 *
 * Content units are CJK characters plus Latin-script words (digit runs and punctuation do not
 * count). A greeting such as "你好" (2 units) or a speaker tag such as "All:" (1 unit) gives the
 * model a handful of hashed n-grams, so one feature can dominate the bag; the model card's
 * minimum-evidence rule keeps such texts from being blocked by the model.
 */

export type ModelLanguage = 'zh' | 'en';

export interface TextProfile {
  readonly lang: ModelLanguage;
  /** CJK characters + Latin-script words (letters), over the whole text. */
  readonly units: number;
  readonly cjkChars: number;
  readonly latinWords: number;
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const LETTER = /[\p{L}\p{M}]/u;

/**
 * Language and evidence of an evasion-normalised text. A text is `zh` when it has CJK characters
 * and they are at least a third as many as the letters of its Latin words (one Chinese character
 * carries about as much as a short English word); anything else is `en` (the model knows no
 * third language).
 */
export function profileText(normalized: string): TextProfile {
  let cjkChars = 0;
  let latinWords = 0;
  let latinLetters = 0;
  let inWord = false;
  let wordHasLetter = false;
  for (const ch of normalized) {
    const code = ch.charCodeAt(0);
    let kind: 'cjk' | 'letter' | 'digit' | 'other';
    if (code < 0x80) {
      kind = (code >= 97 && code <= 122) || (code >= 65 && code <= 90) ? 'letter' : code >= 48 && code <= 57 ? 'digit' : 'other';
    } else if (CJK.test(ch)) kind = 'cjk';
    else if (LETTER.test(ch)) kind = 'letter';
    else kind = /\p{N}/u.test(ch) ? 'digit' : 'other';
    if (kind === 'letter' || kind === 'digit') {
      if (kind === 'letter') {
        latinLetters++;
        wordHasLetter = true;
      }
      inWord = true;
      continue;
    }
    if (inWord && wordHasLetter) latinWords++;
    inWord = false;
    wordHasLetter = false;
    if (kind === 'cjk') cjkChars++;
  }
  if (inWord && wordHasLetter) latinWords++;
  const lang: ModelLanguage = cjkChars > 0 && cjkChars * 3 >= latinLetters ? 'zh' : 'en';
  return { lang, units: cjkChars + latinWords, cjkChars, latinWords };
}
