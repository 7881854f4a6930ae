import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { startTestServer } from '../helpers/server.js';
import { tempDir } from './helpers.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer({ API_KEYS: 'gw:k1,ops:k2:admin', RATE_LIMIT_RPS: '100000', AUDIT_DIR: tempDir('fuzz-audit'), MAX_BODY_BYTES: '65536' });
});
afterAll(() => server.close());

const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 50 }), fc.constantFrom('出售冰毒', '法 轮 功', 'f.u.c.k'));
const body = fc.oneof(
  fc.record({ input: fc.oneof(text, fc.array(text, { maxLength: 70 })), direction: fc.constantFrom('input', 'output', 'x'), classify: fc.constantFrom('auto', 'never', 7) }, { requiredKeys: [] }).map((b) => JSON.stringify(b)),
  fc.json(),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1')),
);
const headerValue = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 80 });

describe('fuzz through the real server', () => {
  it('random bodies, headers and Unicode never get a 5xx or crash the server', async () => {
    await fc.assert(
      fc.asyncProperty(
        body,
        fc.constantFrom('/moderate', '/v1/categories', '/admin/reload', '/admin/lexicons', '/readyz', '/nope', '/v1/moderations'),
        fc.constantFrom('GET', 'POST', 'PUT'),
        fc.record({ authorization: fc.oneof(fc.constantFrom('Bearer k1', 'Bearer k2', 'bearer k1', 'Bearer', ''), headerValue), 'x-request-id': headerValue, 'content-type': fc.oneof(fc.constant('application/json'), headerValue) }, { requiredKeys: [] }),
        async (payload, path, method, headers) => {
          const res = await fetch(`${server.url}${path}`, { method, headers: headers as Record<string, string>, body: method === 'GET' ? undefined : payload });
          const raw = await res.text();
          expect(res.status, raw).toBeLessThan(500);
          expect(res.headers.get('x-request-id')).toBeTruthy();
          if (res.headers.get('content-type')?.includes('json')) JSON.parse(raw);
        },
      ),
      { numRuns: 300 },
    );
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
