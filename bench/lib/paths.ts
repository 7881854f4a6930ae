/**
 * Where things are: the repository root (found from this file, so the harness
 * works both from bench/*.ts under tsx and compiled under dist/bench/), the
 * shared data directory, and warden's compiled modules in dist/.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

function findRoot(start: string): string {
  let dir = start;
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        const name = (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name;
        if (name === 'warden') return dir;
      } catch {
        // not ours, keep walking up
      }
    }
    const up = dirname(dir);
    if (up === dir) throw new Error(`bench: cannot find the warden repository root above ${start}`);
    dir = up;
  }
}

export const ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));
export const RESULTS_DIR = join(ROOT, 'bench', 'results');

/** `../shared` next to the repository root, or WARDEN_SHARED_DIR. Null when absent. */
export function sharedDir(): string | null {
  const dir = process.env.WARDEN_SHARED_DIR ? resolve(process.env.WARDEN_SHARED_DIR) : resolve(ROOT, '..', 'shared');
  return existsSync(join(dir, 'corpus', 'corpus.txt')) && existsSync(join(dir, 'lexicons', 'merged.txt')) ? dir : null;
}

/** The compiled module at dist/<rel> (e.g. 'match/keywords.js'); throws a clear message when not built. */
export async function wardenDist<T>(rel: string): Promise<T> {
  const file = join(ROOT, 'dist', rel);
  if (!existsSync(file)) throw new Error(`bench: ${file} is missing: run \`npm run build\` first`);
  return (await import(pathToFileURL(file).href)) as T;
}

/** This module's own extension (.ts under tsx, .js compiled): children are started the same way. */
export function sibling(fromUrl: string, name: string): string {
  const self = fileURLToPath(fromUrl);
  const ext = self.endsWith('.ts') ? '.ts' : '.js';
  return join(dirname(self), name + ext);
}
