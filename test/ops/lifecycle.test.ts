import { request } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lexiconDir, post, spawnServe } from './helpers.js';

function slowPost(url: string) {
  const u = new URL(`${url}/moderate`);
  const slow = { response: null as unknown as Promise<{ status: number; body: string }>, end: () => {} };
  slow.response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path: '/moderate', method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.write('{"input": ');
    slow.end = () => req.end('"出售冰毒"}');
  });
  return slow;
}

describe('lifecycle', () => {
  it('SIGTERM stops accepting, drains the in-flight request, flushes and exits 0', { timeout: 30_000 }, async () => {
    const s = await spawnServe({});
    const inFlight = slowPost(s.url);
    await new Promise((r) => setTimeout(r, 200));
    s.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    await expect(fetch(`${s.url}/healthz`)).rejects.toThrow(); // no new connections
    inFlight.end();
    const res = await inFlight.response;
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).results[0].verdict).toBe('block');
    expect((await s.exited).code).toBe(0);
    expect(s.logs()).toMatch(/"drained":true/);
  });

  it('SIGTERM gives up on a stuck request at DRAIN_TIMEOUT_MS and still exits 0', { timeout: 30_000 }, async () => {
    const s = await spawnServe({ DRAIN_TIMEOUT_MS: '300', REQUEST_TIMEOUT_MS: '60000' });
    const stuck = slowPost(s.url);
    stuck.response.catch(() => undefined);
    await new Promise((r) => setTimeout(r, 200));
    const started = performance.now();
    s.child.kill('SIGTERM');
    expect((await s.exited).code).toBe(0);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(s.logs()).toMatch(/"drained":false/);
  });

  it('SIGHUP reloads the lexicons of a running server', { timeout: 30_000 }, async () => {
    const dir = lexiconDir('# category: drugs\n# action: block\n冰毒\n');
    const s = await spawnServe({ LEXICON_DIRS: dir });
    try {
      const before = (await (await fetch(`${s.url}/readyz`)).json()) as { lexicon_version: string };
      writeFileSync(join(dir, 'main.txt'), '# category: drugs\n# action: block\n冰毒\n海洛因\n');
      s.child.kill('SIGHUP');
      await expect
        .poll(async () => ((await (await fetch(`${s.url}/readyz`)).json()) as { lexicon_version: string }).lexicon_version, { timeout: 10_000 })
        .not.toBe(before.lexicon_version);
      const res = (await (await post(`${s.url}/moderate`, { input: '海洛因' })).json()) as { results: { verdict: string }[] };
      expect(res.results[0]!.verdict).toBe('block');
    } finally {
      s.child.kill('SIGTERM');
      expect((await s.exited).code).toBe(0);
    }
  });

  it('WORKERS=2 serves one port from two processes; reload reaches both; metrics sum both; SIGTERM exits 0', { timeout: 60_000 }, async () => {
    const dir = lexiconDir('# category: drugs\n# action: block\n冰毒\n');
    const s = await spawnServe({ WORKERS: '2', LEXICON_DIRS: dir, PORT: String(20000 + (process.pid % 20000)) });
    try {
      await expect.poll(() => (s.logs().match(/warden listening/g) ?? []).length, { timeout: 20_000 }).toBe(2);
      writeFileSync(join(dir, 'main.txt'), '# category: drugs\n# action: block\n冰毒\n海洛因\n');
      const reload = (await (await fetch(`${s.url}/admin/reload`, { method: 'POST' })).json()) as { workers: number; outcomes: { pid: number; changed: boolean }[] };
      expect(reload.workers).toBe(2);
      expect(new Set(reload.outcomes.map((o) => o.pid)).size).toBe(2);
      expect(reload.outcomes.every((o) => o.changed)).toBe(true);
      for (let i = 0; i < 20; i++) {
        const res = (await (await post(`${s.url}/moderate`, { input: '海洛因' })).json()) as { results: { verdict: string }[] };
        expect(res.results[0]!.verdict).toBe('block');
      }
      const metrics = await (await fetch(`${s.url}/metrics`)).text();
      expect(metrics).toMatch(/^warden_moderated_items_total\{route="\/moderate",verdict="block"\} 20$/m);
    } finally {
      s.child.kill('SIGTERM');
      expect((await s.exited).code).toBe(0);
    }
  });
});
