/**
 * API keys. Keys are stored as SHA-256 hashes (a keys file and/or `API_KEYS`), each with an id, roles,
 * an optional expiry and a revoked flag. A presented key is hashed and compared with every stored hash
 * in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';

export const ROLES = ['admin'] as const;
export type Role = (typeof ROLES)[number];

const keyEntrySchema = z
  .object({
    id: z.string().regex(/^[\w.:@-]{1,64}$/, 'id: 1-64 characters of [A-Za-z0-9_.:@-]'),
    hash: z.string().regex(/^sha256:[0-9a-f]{64}$/, 'hash: "sha256:" and 64 lower-case hex digits'),
    roles: z.array(z.enum(ROLES)).default([]),
    expires: z.iso.datetime({ offset: true }).optional(),
    revoked: z.boolean().default(false),
    /** Per-key rate limit (requests per second), overriding RATE_LIMIT_RPS. */
    rps: z.number().positive().optional(),
  })
  .strict();

export const keysFileSchema = z.array(keyEntrySchema);
export type KeyEntry = z.infer<typeof keyEntrySchema>;

export interface ApiKey {
  readonly id: string;
  readonly roles: readonly Role[];
  readonly expiresAt: number | null;
  readonly revoked: boolean;
  readonly rps?: number;
  readonly digest: Buffer;
}

export type KeyCheck =
  | { readonly ok: true; readonly key: ApiKey }
  | { readonly ok: false; readonly reason: 'missing' | 'invalid' | 'expired' | 'revoked' };

export class KeysError extends Error {
  override name = 'KeysError';
}

export function hashKey(secret: string): string {
  return `sha256:${createHash('sha256').update(secret, 'utf8').digest('hex')}`;
}

/** A new random key (`wk_` + 32 bytes base64url) and its keys-file entry. */
export function createKey(id: string, roles: readonly Role[] = [], expires?: Date): { key: string; entry: KeyEntry } {
  const key = `wk_${randomBytes(32).toString('base64url')}`;
  return { key, entry: entryFor(id, key, roles, expires) };
}

export function entryFor(id: string, key: string, roles: readonly Role[] = [], expires?: Date): KeyEntry {
  const entry = keyEntrySchema.parse({ id, hash: hashKey(key), roles: [...roles], revoked: false, ...(expires ? { expires: expires.toISOString() } : {}) });
  return entry;
}

function toApiKey(e: KeyEntry): ApiKey {
  return {
    id: e.id,
    roles: e.roles,
    expiresAt: e.expires ? Date.parse(e.expires) : null,
    revoked: e.revoked,
    ...(e.rps !== undefined ? { rps: e.rps } : {}),
    digest: Buffer.from(e.hash.slice('sha256:'.length), 'hex'),
  };
}

/**
 * `API_KEYS=id:secret[:admin],id2:secret2`: plain secrets from the environment (hashed at once and not
 * kept). Meant for tests and small set-ups; a keys file holds hashes only.
 */
export function parseEnvKeys(value: string): KeyEntry[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((item) => {
      const [id, secret, ...roles] = item.split(':');
      if (!id || !secret) throw new KeysError(`API_KEYS: "${id ?? ''}:…" is not id:key[:admin]`);
      const bad = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
      if (bad.length > 0) throw new KeysError(`API_KEYS: unknown role "${bad[0]}" for key ${id}`);
      try {
        return entryFor(id, secret, roles as Role[]);
      } catch (e) {
        throw new KeysError(`API_KEYS: key ${id}: ${(e as Error).message}`);
      }
    });
}

export function readKeysFile(path: string): KeyEntry[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new KeysError(`API_KEYS_FILE ${path}: ${(e as Error).message}`);
  }
  const parsed = keysFileSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `[${i.path.join('.')}] ${i.message}`);
    throw new KeysError(`API_KEYS_FILE ${path}: ${problems.join('; ')}`);
  }
  return parsed.data;
}

export class KeyStore {
  private keys: readonly ApiKey[] = [];

  constructor(
    private readonly file: string | undefined,
    private readonly env: string | undefined,
  ) {
    this.reload();
  }

  /** Re-reads the keys file (on SIGHUP / POST /admin/reload). Throws and keeps the old keys on error. */
  reload(): number {
    const entries = [...(this.env ? parseEnvKeys(this.env) : []), ...(this.file ? readKeysFile(this.file) : [])];
    const ids = new Set<string>();
    for (const e of entries) {
      if (ids.has(e.id)) throw new KeysError(`duplicate key id "${e.id}"`);
      ids.add(e.id);
    }
    this.keys = entries.map(toApiKey);
    return this.keys.length;
  }

  /** Keys are configured: authentication is on. */
  get enabled(): boolean {
    return this.file !== undefined || this.env !== undefined;
  }

  get size(): number {
    return this.keys.length;
  }

  /** Checks an `Authorization` header value. */
  check(authorization: string | undefined, now = Date.now()): KeyCheck {
    if (authorization === undefined || authorization === '') return { ok: false, reason: 'missing' };
    const m = /^Bearer[ ]+(\S{1,512})\s*$/i.exec(authorization);
    if (m === null) return { ok: false, reason: 'invalid' };
    const digest = createHash('sha256').update(m[1]!, 'utf8').digest();
    let found: ApiKey | undefined;
    // Compare with every key, without early exit: the time taken does not depend on which one matched.
    for (const key of this.keys) {
      if (timingSafeEqual(digest, key.digest) && found === undefined) found = key;
    }
    if (found === undefined) return { ok: false, reason: 'invalid' };
    if (found.revoked) return { ok: false, reason: 'revoked' };
    if (found.expiresAt !== null && now >= found.expiresAt) return { ok: false, reason: 'expired' };
    return { ok: true, key: found };
  }
}
