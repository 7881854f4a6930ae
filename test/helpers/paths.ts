import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const SHARED_DIR = process.env.WARDEN_SHARED_DIR ?? fileURLToPath(new URL('../../../shared', import.meta.url));
export const HAS_SHARED = existsSync(`${SHARED_DIR}/lexicons/merged.txt`);
if (!HAS_SHARED) {
  console.warn(`[warden tests] ${SHARED_DIR} not found: the scale tests that need ../shared are skipped`);
}
