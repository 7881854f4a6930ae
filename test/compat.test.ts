import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAiResponseSchema, tmsResponseSchema } from '../src/http/schema.js';
import { parsePolicies } from '../src/policy/policy.js';
import { loadTaxonomy } from '../src/taxonomy/taxonomy.js';
import type { RunningServer } from '../src/server.js';
import { postJson, startTestServer } from './helpers/server.js';

let server: RunningServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

describe('POST /v1/moderations (OpenAI-compatible)', () => {
  it('works with the official openai client: change the base URL, keep the code', async () => {
    const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'unused-without-keys', maxRetries: 0 });
    const moderation = await client.moderations.create({ model: 'omni-moderation-latest', input: ['今天天气很好', '出售冰毒，私聊', '小心我杀了你全家'] });
    expect(moderation.model).toBe('omni-moderation-latest');
    expect(moderation.results).toHaveLength(3);
    const [benign, drugs, threat] = moderation.results;
    expect(benign!.flagged).toBe(false);
    expect(Object.values(benign!.categories).every((v) => v === false)).toBe(true);
    expect(drugs!.flagged).toBe(true);
    expect(drugs!.categories.illicit).toBe(true);
    expect(drugs!.category_scores.illicit).toBe(1);
    expect(drugs!.categories.sexual).toBe(false);
    expect(threat!.flagged).toBe(true);
    expect(threat!.categories.violence).toBe(true);
    expect(Object.keys(drugs!.categories).sort()).toEqual(Object.keys(drugs!.category_scores).sort());
    expect(Object.keys(drugs!.categories)).toHaveLength(13);
    expect(drugs!.category_applied_input_types.illicit).toEqual(['text']);
  });

  it('treats an array of text parts as one input', async () => {
    const { status, json } = await postJson(`${server.url}/v1/moderations`, {
      input: [{ type: 'text', text: '你好' }, { type: 'text', text: '卖冰毒' }],
    });
    expect(status).toBe(200);
    const body = openAiResponseSchema.parse(json);
    expect(body.results).toHaveLength(1);
    expect(body.results[0]!.flagged).toBe(true);
  });

  it("answers errors in OpenAI's envelope, including image inputs", async () => {
    const image = await postJson(`${server.url}/v1/moderations`, { input: [{ type: 'image_url', image_url: { url: 'https://x/y.png' } }] });
    expect(image.status).toBe(400);
    expect(image.json).toEqual({
      error: { message: expect.stringMatching(/text only/), type: 'invalid_request_error', param: 'input[0]', code: 'image_input_unsupported' },
    });
    const bad = await postJson(`${server.url}/v1/moderations`, { input: 5 });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatchObject({ type: 'invalid_request_error', param: 'input', code: 'invalid_request' });
    const notJson = await postJson(`${server.url}/v1/moderations`, '{');
    expect(notJson.json.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_json' });
  });

  it('surfaces client errors through the openai client as typed errors', async () => {
    const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'x', maxRetries: 0 });
    await expect(client.moderations.create({ input: [] as string[] })).rejects.toMatchObject({ status: 400 });
  });
});

describe('POST /moderate with "format": "tms"', () => {
  it('answers in the shape of Tencent TMS with positions', async () => {
    const text = '前面 法 轮 功 后面';
    const { status, json } = await postJson(`${server.url}/moderate`, { input: text, format: 'tms' });
    expect(status).toBe(200);
    const { Response } = tmsResponseSchema.parse(json);
    expect(Response).toMatchObject({ Suggestion: 'Block', Label: 'Polity', SubLabel: 'subversion', Score: 100, Keywords: ['法轮功'] });
    const hit = (Response as { DetailResults: { HitInfos: { Positions: { Start: number; End: number }[] }[] }[] }).DetailResults[0]!.HitInfos[0]!;
    const { Start, End } = hit.Positions[0]!;
    expect([...text].slice(Start, End).join('')).toBe('法 轮 功');
  });

  it('says Pass with label Normal for clean text, and answers batches as Results', async () => {
    const { json } = await postJson(`${server.url}/moderate`, { input: ['你好', '加微信领红包，日赚千元'], format: 'tms' });
    const { Response } = tmsResponseSchema.parse(json);
    const results = (Response as { Results: { Suggestion: string; Label: string }[] }).Results;
    expect(results[0]).toMatchObject({ Suggestion: 'Pass', Label: 'Normal' });
    expect(results[1]!.Suggestion).not.toBe('Pass');
    expect(results[1]!.Label).toBe('Ad');
  });
});

describe('policies', () => {
  const moderate = (body: object) => postJson(`${server.url}/moderate`, body);

  it('change verdicts as configured', async () => {
    const verdicts = async (policy?: string) =>
      (await moderate({ input: ['你这个傻逼', '卖冰毒'], classify: 'never', ...(policy ? { policy } : {}) })).json.results;
    const plain = await verdicts();
    expect([plain[0].verdict, plain[1].verdict]).toEqual(['block', 'block']);
    // llm_output: A.1 (drugs sit under A.1.8) blocks, everything else is flagged for review.
    const output = await verdicts('llm_output');
    expect([output[0].verdict, output[1].verdict]).toEqual(['flag', 'block']);
    expect(output[0].matches[0].action).toBe('flag');
    // minimal: only A.1 is active.
    const minimal = await verdicts('minimal');
    expect([minimal[0].verdict, minimal[1].verdict]).toEqual(['allow', 'block']);
  });

  it('reject unknown names with a 400 listing the known ones', async () => {
    const { status, json } = await moderate({ input: 'x', policy: 'nope' });
    expect(status).toBe(400);
    expect(json.error.code).toBe('unknown_policy');
    expect(json.error.details.known).toEqual(expect.arrayContaining(['chat_input', 'llm_output', 'comment']));
  });

  it('apply thresholds and actions by selector specificity', () => {
    const taxonomy = loadTaxonomy();
    const set = parsePolicies({ policies: { p: { actions: { '*': 'flag', 'A.1': 'block', 'A.1.8': 'flag', drugs: 'allow' } } } }, taxonomy);
    const p = set.get('p')!;
    expect(p.actionFor('drugs')).toBe('allow');
    expect(p.actionFor('gambling')).toBe('flag');
    expect(p.actionFor('subversion')).toBe('block');
    expect(p.actionFor('harassment')).toBe('flag');
    expect(() => parsePolicies({ policies: { p: { actions: { nonsense: 'flag' } } } }, taxonomy)).toThrow(/policy "p": unknown category "nonsense"/);
    expect(() => parsePolicies({ default: 'q', policies: {} }, taxonomy)).toThrow(/default policy "q" is not defined/);
  });
});
