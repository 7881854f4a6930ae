import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config.js';
import { hashKey, KeyStore } from '../../src/ops/keys.js';
import type { RunningServer } from '../../src/server.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { startTestServer } from '../helpers/server.js';
import { post, tempDir } from './helpers.js';

const dir = tempDir('keys');
const keysFile = join(dir, 'keys.json');
const entries = [
  { id: 'gateway', hash: hashKey('k-gateway'), roles: [] },
  { id: 'ops', hash: hashKey('k-ops'), roles: ['admin'] },
  { id: 'old', hash: hashKey('k-old'), expires: '2020-01-01T00:00:00Z' },
  { id: 'gone', hash: hashKey('k-gone'), revoked: true },
];
let server: RunningServer;

beforeAll(async () => {
  writeFileSync(keysFile, JSON.stringify(entries));
  server = await startTestServer({ API_KEYS_FILE: keysFile });
});
afterAll(() => server.close());

const auth = (key: string) => ({ authorization: `Bearer ${key}` });

describe('API keys', () => {
  it('refuses missing, unknown, expired and revoked keys with 401 JSON', async () => {
    const cases: [Record<string, string>, string][] = [
      [{}, 'missing'],
      [auth('nope'), 'invalid'],
      [{ authorization: 'Basic Zm9vOmJhcg==' }, 'invalid'],
      [auth('k-old'), 'expired'],
      [auth('k-gone'), 'revoked'],
    ];
    for (const [headers, reason] of cases) {
      const res = await post(`${server.url}/moderate`, { input: 'hi' }, headers);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await res.json()).toMatchObject({ error: { code: 'unauthorized', details: { reason } } });
    }
    // Every route but /healthz is behind the keys, unknown ones too.
    for (const path of ['/readyz', '/v1/categories', '/metrics', '/openapi.json', '/nope']) {
      expect((await fetch(`${server.url}${path}`)).status, path).toBe(401);
    }
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('serves a valid key; admin routes need the admin role (403 otherwise)', async () => {
    const ok = await post(`${server.url}/moderate`, { input: '出售冰毒' }, auth('k-gateway'));
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { results: { verdict: string }[] }).results[0]!.verdict).toBe('block');
    const forbidden = await fetch(`${server.url}/admin/lexicons`, { headers: auth('k-gateway') });
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toMatchObject({ error: { code: 'forbidden' } });
    const admin = await fetch(`${server.url}/admin/lexicons`, { headers: auth('k-ops') });
    expect(admin.status).toBe(200);
  });

  it('picks up a revocation from the keys file on reload, without a restart', async () => {
    writeFileSync(keysFile, JSON.stringify(entries.map((e) => (e.id === 'gateway' ? { ...e, revoked: true } : e))));
    try {
      const reload = await fetch(`${server.url}/admin/reload`, { method: 'POST', headers: auth('k-ops') });
      expect(reload.status).toBe(200);
      const res = await post(`${server.url}/moderate`, { input: 'hi' }, auth('k-gateway'));
      expect(res.status).toBe(401);
    } finally {
      writeFileSync(keysFile, JSON.stringify(entries));
      await fetch(`${server.url}/admin/reload`, { method: 'POST', headers: auth('k-ops') });
    }
    expect((await post(`${server.url}/moderate`, { input: 'hi' }, auth('k-gateway'))).status).toBe(200);
  });

  it('echoes a given X-Request-Id and generates one otherwise', async () => {
    const given = await post(`${server.url}/moderate`, { input: 'hi' }, { ...auth('k-gateway'), 'x-request-id': 'gw-123' });
    expect(given.headers.get('x-request-id')).toBe('gw-123');
    const bad = await post(`${server.url}/moderate`, { input: 'hi' }, { ...auth('k-gateway'), 'x-request-id': 'has spaces\tand tabs' });
    expect(bad.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const denied = await fetch(`${server.url}/readyz`);
    expect(denied.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('rejects a malformed keys file at start-up, naming the problem', () => {
    writeFileSync(join(dir, 'bad.json'), JSON.stringify([{ id: 'x', hash: 'md5:abc' }]));
    expect(() => new KeyStore(join(dir, 'bad.json'), undefined)).toThrow(/hash/);
    expect(() => new KeyStore(undefined, 'a:1,a:2')).toThrow(/duplicate key id/);
  });

  it('`warden keys hash` and `keys create` print entries the keys file accepts', () => {
    const hashed = JSON.parse(
      execFileSync(process.execPath, ['dist/cli/main.js', 'keys', 'hash', '--id', 'gw', '--admin', '--days', '90', 's3cret'], { cwd: REPO_ROOT, encoding: 'utf8' }),
    ) as { id: string; hash: string; roles: string[]; expires: string };
    expect(hashed).toMatchObject({ id: 'gw', hash: hashKey('s3cret'), roles: ['admin'] });
    expect(Date.parse(hashed.expires) - Date.now()).toBeGreaterThan(89 * 86_400_000);
    const created = JSON.parse(execFileSync(process.execPath, ['dist/cli/main.js', 'keys', 'create', '--id', 'new'], { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    writeFileSync(join(dir, 'cli.json'), JSON.stringify([hashed, created]));
    const store = new KeyStore(join(dir, 'cli.json'), undefined);
    expect(store.check('Bearer s3cret')).toMatchObject({ ok: true, key: { id: 'gw' } });
  });

  it('refuses to serve a non-loopback address without keys unless ALLOW_UNAUTHENTICATED=true', async () => {
    await expect(startTestServer({ HOST: '0.0.0.0' })).rejects.toThrow(ConfigError);
    const open = await startTestServer({ HOST: '0.0.0.0', ALLOW_UNAUTHENTICATED: 'true' });
    await open.close();
  });
});
