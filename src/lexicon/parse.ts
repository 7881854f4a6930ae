/**
 * The lexicon file format (see lexicons/README.md):
 *
 *   # any comment
 *   # category: harassment        ← default category for the lines below (id or TC260 code such as A.1.4)
 *   # action: block               ← default action: block | flag | allow (allow = allow-list entry)
 *   term
 *   term<TAB>category<TAB>action  ← per-line override; either field may be empty to keep the default
 *
 * Directives apply from where they appear to the end of the file, so a file
 * may hold several sections. Errors name `file:line`.
 */
import { z } from 'zod';
import type { Action } from '../decide/types.js';
import type { Taxonomy } from '../taxonomy/taxonomy.js';

export interface LexiconEntry {
  /** The term as written in the file. */
  readonly term: string;
  /** Category id; `null` only for allow-list entries without a category (they cover every category). */
  readonly category: string | null;
  readonly action: Action;
  readonly file: string;
  readonly line: number;
}

export class LexiconError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}: ${reason}`);
    this.name = 'LexiconError';
  }
}

const actionSchema = z.enum(['block', 'flag', 'allow']);
const DIRECTIVE = /^#\s*(category|action)\s*:\s*(.*?)\s*$/i;
/** Longer terms are almost certainly a pasted paragraph, not a keyword. */
export const MAX_TERM_LENGTH = 256;

export function parseLexicon(content: string, file: string, taxonomy: Taxonomy): LexiconEntry[] {
  const entries: LexiconEntry[] = [];
  let defaultCategory: string | null = null;
  let defaultAction: Action | null = null;
  const text = content.charCodeAt(0) === 0xfeff ? content.slice(1) : content;
  const lines = text.split('\n');

  const resolveCategory = (value: string, line: number): string => {
    const category = taxonomy.resolve(value);
    if (!category) throw new LexiconError(file, line, `unknown category "${value}" (use a category id from /v1/categories or a TC260 code such as A.1.4)`);
    return category.id;
  };
  const parseAction = (value: string, line: number): Action => {
    const parsed = actionSchema.safeParse(value.toLowerCase());
    if (!parsed.success) throw new LexiconError(file, line, `unknown action "${value}" (expected block, flag or allow)`);
    return parsed.data;
  };

  for (let index = 0; index < lines.length; index++) {
    const lineNo = index + 1;
    const raw = lines[index]!.replace(/\r$/, '');
    const trimmed = raw.trim();
    if (trimmed === '') continue;
    if (trimmed.startsWith('#')) {
      const directive = DIRECTIVE.exec(trimmed);
      if (!directive) continue;
      const [, key, value] = directive;
      if (key!.toLowerCase() === 'category') defaultCategory = resolveCategory(value!, lineNo);
      else defaultAction = parseAction(value!, lineNo);
      continue;
    }
    if (raw.includes('\u0000')) throw new LexiconError(file, lineNo, 'NUL byte in term');
    const fields = raw.split('\t');
    if (fields.length > 3) throw new LexiconError(file, lineNo, `expected term<TAB>category<TAB>action, found ${fields.length} tab-separated fields`);
    const term = fields[0]!.trim();
    if (term === '') throw new LexiconError(file, lineNo, 'empty term before a tab');
    if ([...term].length > MAX_TERM_LENGTH) throw new LexiconError(file, lineNo, `term longer than ${MAX_TERM_LENGTH} characters`);
    const categoryField = fields[1]?.trim() ?? '';
    const actionField = fields[2]?.trim() ?? '';
    const action = actionField !== '' ? parseAction(actionField, lineNo) : defaultAction;
    const category = categoryField !== '' ? resolveCategory(categoryField, lineNo) : defaultCategory;
    if (action === null) throw new LexiconError(file, lineNo, 'no action: add a "# action: block|flag|allow" header or a third tab-separated field');
    if (category === null && action !== 'allow') {
      throw new LexiconError(file, lineNo, 'no category: add a "# category: <id or TC260 code>" header or a second tab-separated field');
    }
    entries.push({ term, category, action, file, line: lineNo });
  }
  return entries;
}
