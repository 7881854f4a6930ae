/** Where data, corpus and the model live, resolved from the repo root (flags and env override). */
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export function dataDir(flag: string | undefined): string {
  return resolve(flag ?? process.env['WARDEN_DATA_DIR'] ?? resolve(REPO_ROOT, '..', 'shared', 'data'));
}

export function corpusDir(flag: string | undefined): string {
  return resolve(flag ?? process.env['WARDEN_CORPUS_DIR'] ?? resolve(REPO_ROOT, '..', 'shared', 'corpus'));
}

export const DEFAULT_MODEL_NAME = 'warden-fasttext';
