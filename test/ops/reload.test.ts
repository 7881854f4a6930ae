import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { startTestServer } from '../helpers/server.js';
import { lexiconDir, post } from './helpers.js';

const GOOD = '# category: drugs\n# action: block\n冰毒\n';
let dir: string;
let server: RunningServer;

beforeAll(async () => {
  dir = lexiconDir(GOOD);
  server = await startTestServer({ LEXICON_DIRS: dir });
});
afterAll(() => server.close());

async function verdict(text: string): Promise<{ verdict: string; version: string }> {
  const body = (await (await post(`${server.url}/moderate`, { input: text })).json()) as { lexicon_version: string; results: { verdict: string }[] };
  return { verdict: body.results[0]!.verdict, version: body.lexicon_version };
}

describe('hot reload', () => {
  it('POST /admin/reload swaps in new tables and changes lexicon_version', async () => {
    const before = await verdict('卖海洛因');
    expect(before.verdict).toBe('allow');
    writeFileSync(join(dir, 'main.txt'), GOOD + '海洛因\n');
    const res = await fetch(`${server.url}/admin/reload`, { method: 'POST' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { lexicon_version: string; outcomes: { changed: boolean }[] };
    expect(body.lexicon_version).not.toBe(before.version);
    expect(body.outcomes[0]!.changed).toBe(true);
    const after = await verdict('卖海洛因');
    expect(after).toEqual({ verdict: 'block', version: body.lexicon_version });
  });

  it('a broken file keeps the old tables serving and reports the error (admin, /readyz, /admin/lexicons)', async () => {
    const serving = await verdict('卖海洛因');
    writeFileSync(join(dir, 'main.txt'), GOOD + '# category: no-such-category\n海洛因\n');
    const res = await fetch(`${server.url}/admin/reload`, { method: 'POST' });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('reload_failed');
    expect(body.error.message).toMatch(/main\.txt:4: unknown category/);
    expect(await verdict('卖海洛因')).toEqual(serving);
    const ready = (await (await fetch(`${server.url}/readyz`)).json()) as Record<string, unknown>;
    expect(ready).toMatchObject({ status: 'ready', lexicon_version: serving.version });
    expect(String(ready.last_reload_error)).toMatch(/unknown category/);
    const lex = (await (await fetch(`${server.url}/admin/lexicons`)).json()) as Record<string, unknown>;
    expect(lex).toMatchObject({ lexicon_version: serving.version, terms: 2, categories: { drugs: 2 }, last_reload: { ok: false } });
    expect((lex.files as { entries: number }[])[0]!.entries).toBe(2);
    // Fixed file: the next reload succeeds and the error is gone from /readyz.
    writeFileSync(join(dir, 'main.txt'), GOOD);
    expect((await fetch(`${server.url}/admin/reload`, { method: 'POST' })).status).toBe(200);
    expect(await (await fetch(`${server.url}/readyz`)).json()).not.toHaveProperty('last_reload_error');
  });

  it('requests running during a reload finish on the tables they started with', async () => {
    const results = await Promise.all([
      ...Array.from({ length: 20 }, () => verdict('冰毒')),
      fetch(`${server.url}/admin/reload`, { method: 'POST' }).then((r) => r.status),
      ...Array.from({ length: 20 }, () => verdict('冰毒')),
    ]);
    for (const r of results) if (typeof r !== 'number') expect(r.verdict).toBe('block');
  });

  it('LEXICON_WATCH=true reloads when a lexicon file changes', async () => {
    const wdir = lexiconDir(GOOD);
    const watched = await startTestServer({ LEXICON_DIRS: wdir, LEXICON_WATCH: 'true' });
    try {
      const v0 = watched.moderator.lexiconVersion;
      writeFileSync(join(wdir, 'main.txt'), GOOD + '大麻\n');
      await expect.poll(() => watched.moderator.lexiconVersion, { timeout: 10_000 }).not.toBe(v0);
      expect(watched.reloader.last).toMatchObject({ ok: true, trigger: 'watch' });
    } finally {
      await watched.close();
    }
  });
});

describe('metrics', () => {
  it('GET /metrics counts requests, verdicts, category hits, stages and the lexicon', async () => {
    const s = await startTestServer();
    try {
      await post(`${s.url}/moderate`, { input: ['出售冰毒', 'hello'] });
      await post(`${s.url}/moderate`, 'not json');
      const res = await fetch(`${s.url}/metrics`);
      expect(res.headers.get('content-type')).toMatch(/text\/plain/);
      const text = await res.text();
      expect(text).toMatch(/^warden_http_requests_total\{route="\/moderate",method="POST",status="200"\} 1$/m);
      expect(text).toMatch(/^warden_http_requests_total\{route="\/moderate",method="POST",status="400"\} 1$/m);
      expect(text).toMatch(/^warden_moderated_items_total\{route="\/moderate",verdict="block"\} 1$/m);
      expect(text).toMatch(/^warden_moderated_items_total\{route="\/moderate",verdict="allow"\} 1$/m);
      expect(text).toMatch(/^warden_category_hits_total\{category="drugs",verdict="block"\} 1$/m);
      expect(text).toMatch(/^warden_stage_duration_seconds_count\{stage="normalize"\} 1$/m);
      expect(text).toMatch(/^warden_stage_duration_seconds_count\{stage="match"\} 1$/m);
      expect(text).toMatch(/^warden_stage_duration_seconds_count\{stage="total"\} 1$/m);
      expect(text).toContain(`warden_lexicon_info{version="${s.moderator.lexiconVersion}"} 1`);
      expect(text).toMatch(new RegExp(`^warden_lexicon_terms ${s.moderator.tables.patternCount}$`, 'm'));
      expect(text).toMatch(/^warden_degraded_items_total 0$/m);
    } finally {
      await s.close();
    }
  });
});
