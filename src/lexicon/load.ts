/** Reading lexicon directories from disk (the I/O edge of the lexicon stage). */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Taxonomy } from '../taxonomy/taxonomy.js';
import { LexiconError, parseLexicon, type LexiconEntry } from './parse.js';

export const BUNDLED_LEXICON_DIR = fileURLToPath(new URL('../../lexicons', import.meta.url));

export interface LexiconFile {
  readonly path: string;
  readonly entries: number;
}

export interface Lexicon {
  readonly entries: readonly LexiconEntry[];
  readonly files: readonly LexiconFile[];
  /** A short content hash of every file, in load order: changes whenever any table changes. */
  readonly version: string;
}

function listTextFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    const names = readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of names) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && entry.name.endsWith('.txt')) out.push(path);
    }
  };
  walk(dir);
  return out;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Loads every `*.txt` file under each directory (recursively, sorted by
 * path); later directories add to earlier ones. Throws LexiconError with
 * `file:line` on the first malformed line.
 */
export function loadLexicons(dirs: readonly string[], taxonomy: Taxonomy): Lexicon {
  const hash = createHash('sha256');
  const entries: LexiconEntry[] = [];
  const files: LexiconFile[] = [];
  for (const dir of dirs) {
    let isDir = false;
    try {
      isDir = statSync(dir).isDirectory();
    } catch {
      isDir = false;
    }
    if (!isDir) throw new LexiconError(dir, 0, 'lexicon directory not found');
    const paths = listTextFiles(dir);
    if (paths.length === 0) throw new LexiconError(dir, 0, 'no *.txt lexicon files in directory');
    for (const path of paths) {
      const bytes = readFileSync(path);
      let content: string;
      try {
        content = utf8.decode(bytes);
      } catch {
        throw new LexiconError(path, 1, 'file is not valid UTF-8');
      }
      const display = relative(process.cwd(), path) || path;
      const parsed = parseLexicon(content, display, taxonomy);
      entries.push(...parsed);
      files.push({ path: display, entries: parsed.length });
      hash.update(path.slice(dir.length)).update('\0').update(bytes).update('\0');
    }
  }
  return { entries, files, version: hash.digest('hex').slice(0, 12) };
}
