import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { createApp } from '../src/http/app.js';
import { categoriesResponseSchema, errorSchema, moderateResponseSchema } from '../src/http/schema.js';
import { getJson, postJson, startTestServer } from './helpers/server.js';

let server: RunningServer;
let moderate: string;

beforeAll(async () => {
  server = await startTestServer();
  moderate = `${server.url}/moderate`;
});
afterAll(async () => {
  await server.close();
});

describe('POST /moderate', () => {
  it('answers one text with the documented shape', async () => {
    const { status, json } = await postJson(moderate, { input: '这里有人卖冰毒和枪支' });
    expect(status).toBe(200);
    const body = moderateResponseSchema.parse(json);
    expect(body.id).toMatch(/^modr-/);
    expect(body.lexicon_version).toBe(server.moderator.lexiconVersion);
    expect(body.results).toHaveLength(1);
    expect(body.results[0]!.verdict).not.toBe('allow');
    expect(body.results[0]!.decided_by).toBe('keyword');
  });

  it('answers a batch in order, with matches pointing into each original text', async () => {
    const input = ['今天天气很好', '😀😀 法 轮 功 好', 'hello world'];
    const { status, json } = await postJson(moderate, { input, direction: 'output' });
    expect(status).toBe(200);
    const body = moderateResponseSchema.parse(json);
    expect(body.results.map((r) => r.verdict)).toEqual(['allow', 'block', 'allow']);
    const match = body.results[1]!.matches[0]!;
    expect(match).toMatchObject({ text: '法 轮 功', start: 3, end: 8 });
    expect([...input[1]!].slice(match.start, match.end).join('')).toBe(match.text);
    expect(body.results[0]).toEqual({ verdict: 'allow', decided_by: 'none', categories: [], matches: [] });
  });

  it('restricts to the requested categories and rejects unknown ones', async () => {
    const all = await postJson(moderate, { input: '卖冰毒', categories: ['A.1'] });
    expect(all.json.results[0].verdict).not.toBe('allow');
    const other = await postJson(moderate, { input: '卖冰毒', categories: ['gambling'] });
    expect(other.json.results[0].verdict).toBe('allow');
    const bad = await postJson(moderate, { input: 'x', categories: ['gambling', 'nonsense'] });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('unknown_category');
    expect(bad.json.error.details.unknown).toEqual(['nonsense']);
  });

  it.each([
    ['a lone surrogate', '\ud800 卖冰毒 \udfff'],
    ['NUL bytes', 'a\u0000b\u0000卖冰毒'],
    ['a 100k-character line of one character', 'a'.repeat(100_000)],
    ['emoji and ZWJ sequences', '👩‍👩‍👧‍👦🇨🇳 卖冰毒 🏳️‍🌈'],
    ['combining marks', 'Z̴̡̢͎a̷l̶g̵o̸ ́́́́ 卖冰毒'],
    ['an empty string', ''],
  ])('handles %s', async (_name, text) => {
    const { status, json } = await postJson(moderate, { input: text });
    expect(status).toBe(200);
    const result = moderateResponseSchema.parse(json).results[0]!;
    for (const m of result.matches) expect([...text].slice(m.start, m.end).join('')).toBe(m.text);
  });
});

describe('POST /moderate: bad input gets a clear 4xx', () => {
  const expectError = (json: unknown, code: string) => {
    const body = errorSchema.parse(json);
    expect(body.error.code).toBe(code);
    expect(body.error.message.length).toBeGreaterThan(0);
  };

  it('400 on invalid JSON', async () => {
    const { status, json } = await postJson(moderate, '{"input": ');
    expect(status).toBe(400);
    expectError(json, 'invalid_json');
  });

  it('400 on a schema violation, naming the field', async () => {
    const { status, json } = await postJson(moderate, { input: 42 });
    expect(status).toBe(400);
    expectError(json, 'invalid_request');
    expect(json.error.details[0].path).toBe('input');
  });

  it('400 on unknown fields, empty batches and bad enums', async () => {
    for (const body of [{ input: 'x', categoriez: [] }, { input: [] }, { input: 'x', direction: 'sideways' }, { input: ['a', 3] }, [], null, '"text"']) {
      const { status, json } = await postJson(moderate, body);
      expect(status, JSON.stringify(body)).toBe(400);
      expectError(json, 'invalid_request');
    }
  });

  it('400 on a body that is not UTF-8', async () => {
    const res = await fetch(moderate, { method: 'POST', headers: { 'content-type': 'application/json' }, body: Buffer.from([0x7b, 0xff, 0x7d]) });
    expect(res.status).toBe(400);
    expectError(await res.json(), 'invalid_encoding');
  });

  it('415 on a wrong or missing content type', async () => {
    const res = await fetch(moderate, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"input":"x"}' });
    expect(res.status).toBe(415);
    expectError(await res.json(), 'unsupported_media_type');
    const none = await fetch(moderate, { method: 'POST', body: new Blob(['{"input":"x"}']) });
    expect(none.status).toBe(415);
  });

  it('413 on a body over 1 MiB, an item over 100,000 characters, or more than 64 items', async () => {
    const big = await postJson(moderate, { input: 'x'.repeat(1024 * 1024 + 10) });
    expect(big.status).toBe(413);
    expectError(big.json, 'body_too_large');
    const long = await postJson(moderate, { input: ['ok', '😀'.repeat(100_001)] });
    expect(long.status).toBe(413);
    expectError(long.json, 'item_too_large');
    expect(long.json.error.details.index).toBe(1);
    const many = await postJson(moderate, { input: Array.from({ length: 65 }, () => 'x') });
    expect(many.status).toBe(413);
    expectError(many.json, 'too_many_items');
  });

  it('413 on an oversized chunked body without Content-Length', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 20) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const res = await fetch(moderate, { method: 'POST', headers: { 'content-type': 'application/json' }, body: stream, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
  });

  it('404 JSON on unknown routes and 405 on the wrong method', async () => {
    const res = await fetch(`${server.url}/nope`);
    expect(res.status).toBe(404);
    expectError(await res.json(), 'not_found');
    const get = await fetch(moderate);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
  });

  it('never answers 5xx to random JSON bodies', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        const body = typeof value === 'object' && value !== null && !Array.isArray(value) ? value : { input: value };
        const { status } = await postJson(moderate, body);
        expect([200, 400, 413]).toContain(status);
      }),
      { numRuns: 150 },
    );
  });
});

describe('other routes', () => {
  it('GET /healthz and /readyz', async () => {
    expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await getJson(`${server.url}/readyz`);
    expect(ready).toMatchObject({ status: 'ready', lexicon_version: server.moderator.lexiconVersion });
    expect(ready.terms).toBeGreaterThan(0);
  });

  it('GET /v1/categories lists every category with its term count', async () => {
    const body = categoriesResponseSchema.parse(await (await fetch(`${server.url}/v1/categories`)).json());
    expect(body.categories.filter((c) => c.kind === 'tc260')).toHaveLength(31);
    const drugs = body.categories.find((c) => c.id === 'drugs')!;
    expect(drugs.terms).toBe(server.moderator.tables.termCounts.get('drugs'));
    expect(drugs.terms).toBeGreaterThan(0);
    expect(body.groups.reduce((s, g) => s + g.terms, 0)).toBe(body.categories.reduce((s, c) => s + c.terms, 0));
  });

  it('GET /openapi.json documents every route the app serves, and the request fields', async () => {
    const doc = await getJson(`${server.url}/openapi.json`);
    expect(doc.openapi).toBe('3.1.0');
    const served = createApp(server.moderator)
      .routes.filter((r) => r.method !== 'ALL' && !r.path.includes('*'))
      .filter((r) => !(r.path === '/moderate' && r.method !== 'POST')) // the 405 answers
      .map((r) => `${r.method.toLowerCase()} ${r.path}`);
    const documented = Object.keys(doc.paths).flatMap((path) => Object.keys(doc.paths[path]!).map((m) => `${m} ${path}`));
    expect(served.length).toBeGreaterThan(5);
    for (const route of served) expect(documented, route).toContain(route);
    const request = doc.paths['/moderate']!.post!.requestBody!.content!['application/json']!.schema!;
    expect(Object.keys(request.properties!).sort()).toEqual(['categories', 'classify', 'direction', 'format', 'input', 'policy']);
  });
});
