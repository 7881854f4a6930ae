import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startTestServer } from '../helpers/server.js';
import { post, spawnServe, tempDir } from './helpers.js';

function records(dir: string): Record<string, unknown>[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter((l) => l !== ''))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('audit log', () => {
  it('records every flag and block (hash, no text by default) before answering; nothing for allow', async () => {
    const dir = tempDir('audit');
    const s = await startTestServer({ AUDIT_DIR: dir, API_KEYS: 'gw:k1' });
    try {
      const res = await post(`${s.url}/moderate`, { input: ['出售冰毒，联系13800138000', 'hello', '法 轮 功'], direction: 'input' }, { authorization: 'Bearer k1', 'x-request-id': 'req-1' });
      expect(res.status).toBe(200);
      // Acknowledged: the answer arrived, so the records are already on disk.
      const got = records(dir);
      expect(got).toHaveLength(2);
      expect(got[0]).toMatchObject({ request_id: 'req-1', key_id: 'gw', route: '/moderate', index: 0, direction: 'input', verdict: 'block', categories: ['drugs'] });
      expect(got[0]!.terms).toContain('冰毒');
      expect(got[0]!.input_sha256).toBe(createHash('sha256').update('出售冰毒，联系13800138000').digest('hex'));
      expect(got[1]).toMatchObject({ index: 2, verdict: 'block' });
      expect(JSON.stringify(got)).not.toContain('13800138000'); // the input itself is not kept
      expect(got.every((r) => !('text' in r))).toBe(true);
    } finally {
      await s.close();
    }
  });

  it('keeps the text only with AUDIT_STORE_TEXT=true', async () => {
    const dir = tempDir('audit');
    const s = await startTestServer({ AUDIT_DIR: dir, AUDIT_STORE_TEXT: 'true' });
    try {
      await post(`${s.url}/moderate`, { input: '出售冰毒' });
      expect(records(dir)[0]).toMatchObject({ text: '出售冰毒', key_id: null });
    } finally {
      await s.close();
    }
  });

  it('rotates by size, deletes files past retention, and repairs a torn last line at start-up', async () => {
    const dir = tempDir('audit');
    const old = join(dir, 'audit-2020-01-01T00-00-00-000Z.1.0.jsonl');
    writeFileSync(old, '{"old":true}\n');
    utimesSync(old, new Date('2020-01-02'), new Date('2020-01-02'));
    const torn = join(dir, `audit-2099-01-01T00-00-00-000Z.999999999.0.jsonl`);
    writeFileSync(torn, '{"a":1}\n{"b":');
    const s = await startTestServer({ AUDIT_DIR: dir, AUDIT_MAX_FILE_BYTES: '4096', AUDIT_RETENTION_DAYS: '30' });
    try {
      expect(readdirSync(dir)).not.toContain('audit-2020-01-01T00-00-00-000Z.1.0.jsonl');
      expect(readFileSync(torn, 'utf8')).toBe('{"a":1}\n');
      for (let i = 0; i < 30; i++) await post(`${s.url}/moderate`, { input: ['出售冰毒', '法 轮 功'] });
      const files = readdirSync(dir).filter((f) => f.includes(`.${process.pid}.`));
      expect(files.length).toBeGreaterThan(1);
      for (const f of files) expect(readFileSync(join(dir, f)).length).toBeLessThanOrEqual(4096);
      expect(records(dir).filter((r) => r.verdict === 'block')).toHaveLength(60);
    } finally {
      await s.close();
    }
  });

  it('SIGKILL during a stream of writes loses no acknowledged record and leaves only valid JSON lines', { timeout: 60_000 }, async () => {
    const dir = tempDir('audit-kill');
    const s = await spawnServe({ AUDIT_DIR: dir, AUDIT_STORE_TEXT: 'true' });
    const acknowledged: string[] = [];
    let stop = false;
    const client = async (c: number) => {
      for (let i = 0; !stop; i++) {
        const id = `c${c}-${i}`;
        try {
          const res = await post(`${s.url}/moderate`, { input: [`出售冰毒 ${id}`, 'hello'] }, { 'x-request-id': id });
          if (res.status === 200) {
            await res.json();
            acknowledged.push(id);
          }
        } catch {
          return; // the server is gone
        }
      }
    };
    const clients = Array.from({ length: 32 }, (_, c) => client(c));
    await new Promise((r) => setTimeout(r, 1500));
    s.child.kill('SIGKILL');
    stop = true;
    await Promise.all(clients);
    await s.exited;
    expect(acknowledged.length).toBeGreaterThan(100);

    const check = () => {
      const lines = readdirSync(dir)
        .filter((f) => f.endsWith('.jsonl'))
        .flatMap((f) => {
          const content = readFileSync(join(dir, f), 'utf8');
          const complete = content.slice(0, content.lastIndexOf('\n') + 1);
          return { content, lines: complete.split('\n').filter((l) => l !== '') };
        });
      const ids = new Set<string>();
      for (const { lines: ls } of lines) for (const l of ls) ids.add((JSON.parse(l) as { request_id: string }).request_id); // throws on a corrupt line
      return { ids, files: lines };
    };
    const { ids } = check();
    const missing = acknowledged.filter((id) => !ids.has(id));
    expect(missing).toEqual([]);

    // The next start truncates any torn (unacknowledged) tail: every file then ends with a complete line.
    const again = await spawnServe({ AUDIT_DIR: dir });
    again.child.kill('SIGTERM');
    expect((await again.exited).code).toBe(0);
    for (const { content } of check().files) expect(content === '' || content.endsWith('\n')).toBe(true);
  });
});
