import { request } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { startTestServer } from '../helpers/server.js';
import { post, spawnServe } from './helpers.js';

const servers: RunningServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.close();
});

/** Starts a POST whose body is never finished: it holds one in-flight slot until `end()` is called. */
function stuckRequest(url: string, headers: Record<string, string> = {}) {
  const u = new URL(`${url}/moderate`);
  let resolveRes!: (r: { status: number; body: string; retryAfter?: string }) => void;
  const response = new Promise<{ status: number; body: string; retryAfter?: string }>((r) => (resolveRes = r));
  const req = request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
    let body = '';
    res.on('data', (d: Buffer) => (body += d.toString()));
    res.on('end', () => resolveRes({ status: res.statusCode!, body, retryAfter: res.headers['retry-after'] as string | undefined }));
  });
  req.on('error', () => undefined);
  req.write('{"input": ');
  return { response, end: () => req.end('"hello"}') };
}

describe('rate limits and load shedding', () => {
  it('limits a flood from one key with 429 + Retry-After while another key is served', async () => {
    const s = await startTestServer({ API_KEYS: 'flood:k1,quiet:k2', RATE_LIMIT_RPS: '2', RATE_LIMIT_BURST: '5' });
    servers.push(s);
    const flood = await Promise.all(Array.from({ length: 40 }, () => post(`${s.url}/moderate`, { input: 'hi' }, { authorization: 'Bearer k1' })));
    const statuses = flood.map((r) => r.status);
    expect(statuses.filter((x) => x === 200).length).toBeLessThanOrEqual(6); // the burst (plus a token refilled meanwhile)
    expect(statuses.filter((x) => x === 429).length).toBeGreaterThanOrEqual(34);
    const limited = flood.find((r) => r.status === 429)!;
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await limited.json()).toMatchObject({ error: { code: 'rate_limited' } });
    const other = await post(`${s.url}/moderate`, { input: 'hi' }, { authorization: 'Bearer k2' });
    expect(other.status).toBe(200);
    // Probes are never limited.
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
  });

  it('answers 503 overloaded beyond MAX_IN_FLIGHT instead of queueing, then serves again', async () => {
    const s = await startTestServer({ MAX_IN_FLIGHT: '2', REQUEST_TIMEOUT_MS: '60000' });
    servers.push(s);
    const a = stuckRequest(s.url);
    const b = stuckRequest(s.url);
    await expect.poll(() => s.state.inFlight).toBe(2);
    const shed = await post(`${s.url}/moderate`, { input: 'hi' });
    expect(shed.status).toBe(503);
    expect(shed.headers.get('retry-after')).toBe('1');
    expect(await shed.json()).toMatchObject({ error: { code: 'overloaded', details: { limit: 2 } } });
    expect((await fetch(`${s.url}/readyz`)).status).toBe(200); // probes are not work
    a.end();
    b.end();
    expect((await a.response).status).toBe(200);
    expect((await b.response).status).toBe(200);
    expect((await post(`${s.url}/moderate`, { input: 'hi' })).status).toBe(200);
  });

  it('answers 503 timeout when a request exceeds REQUEST_TIMEOUT_MS', async () => {
    const s = await startTestServer({ REQUEST_TIMEOUT_MS: '200' });
    servers.push(s);
    const started = performance.now();
    const slow = stuckRequest(s.url);
    const res = await slow.response;
    expect(res.status).toBe(503);
    expect(res.retryAfter).toBe('1');
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'timeout' } });
    expect(performance.now() - started).toBeLessThan(5000);
    slow.end();
    await expect.poll(() => s.state.inFlight).toBe(0);
  });

  it('500 concurrent clients get answers or 503s, and the process stays within its memory', { timeout: 60_000 }, async () => {
    const s = await spawnServe({ MAX_IN_FLIGHT: '32' });
    try {
      const text = '今天天气不错，出售冰毒，加微信。'.repeat(2000); // ~32k characters, ~90 KB per request
      const body = JSON.stringify({ input: [text, 'hello'] });
      const statuses = await Promise.all(
        Array.from({ length: 500 }, () =>
          post(`${s.url}/moderate`, body).then(
            async (r) => {
              await r.arrayBuffer();
              return r.status;
            },
            () => 0,
          ),
        ),
      );
      const counts: Record<string, number[]> = {};
      for (const x of statuses) (counts[String(x)] ??= []).push(x);
      expect(Object.keys(counts).every((k) => k === '200' || k === '503'), JSON.stringify(Object.keys(counts))).toBe(true);
      expect(counts['200']?.length ?? 0).toBeGreaterThan(0);
      const metrics = await (await fetch(`${s.url}/metrics`)).text();
      const rss = Number(/^warden_process_resident_memory_bytes (\d+)/m.exec(metrics)![1]);
      console.log(`500 clients: ${counts['200']?.length ?? 0} answered, ${counts['503']?.length ?? 0} shed, rss ${(rss / 2 ** 20).toFixed(0)} MiB`);
      expect(rss).toBeLessThan(512 * 2 ** 20);
      expect(s.child.exitCode).toBeNull();
    } finally {
      s.child.kill('SIGTERM');
      expect((await s.exited).code).toBe(0);
    }
  });
});
