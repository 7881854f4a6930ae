import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/paths.js';

const run = promisify(execFile);
const CLI = join(REPO_ROOT, 'dist/cli/main.js');
const env = { ...process.env, CLASSIFIER: 'off', LEXICON_DIRS: '' };

async function warden(args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { env, cwd: REPO_ROOT });
    return { stdout, stderr, code: 0 };
  } catch (e) {
    const err = e as { stdout: string; stderr: string; code: number };
    return { stdout: err.stdout, stderr: err.stderr, code: err.code };
  }
}

describe('the warden command', () => {
  it('check prints one JSON result per text', async () => {
    const { stdout, code } = await warden(['check', '出售冰毒', '今天天气不错']);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.verdict)).toEqual([expect.stringMatching(/block|flag/), 'allow']);
    expect(lines[0].matches.map((m: { text: string }) => m.text)).toContain('冰毒');
  });

  it('scan reads JSONL and plain lines, writes one verdict per line and a summary', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-scan-'));
    const input = join(dir, 'corpus.jsonl');
    writeFileSync(input, ['{"text": "出售冰毒"}', '今天天气不错', '', '{"text": 5}', '{broken', '{"text": "法 轮 功"}'].join('\n') + '\n');
    const out = join(dir, 'out.jsonl');
    const { code, stderr } = await warden(['scan', input, '--out', out]);
    expect(code).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.line)).toEqual([1, 2, 4, 5, 6]);
    expect(lines.map((l) => l.verdict ?? 'error')).toEqual([expect.stringMatching(/block|flag/), 'allow', 'error', 'error', 'block']);
    expect(lines[2].error).toMatch(/no string "text"/);
    expect(stderr).toMatch(/scanned 5 texts: 1 block|scanned 5 texts: 2 block/);
    expect(stderr).toMatch(/2 unreadable lines/);
    expect(stderr).toMatch(/subversion: 1/);
  });

  it('scan --only-hits writes only flagged and blocked texts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-scan-'));
    const input = join(dir, 'plain.txt');
    writeFileSync(input, '你好\n法轮功\n再见\n');
    const { stdout } = await warden(['scan', input, '--only-hits']);
    expect(stdout.trim().split('\n').map((l) => JSON.parse(l).line)).toEqual([2]);
  });

  it('fails with a usage message on bad commands and a clear error on bad lexicons', async () => {
    const unknown = await warden(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "frobnicate"/);
    const dir = mkdtempSync(join(tmpdir(), 'warden-lex-'));
    writeFileSync(join(dir, 'bad.txt'), '# category: drugs\n# action: sometimes\n冰毒\n');
    const bad = await warden(['check', '--lexicons', dir, 'x']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/bad\.txt:2: unknown action "sometimes"/);
  });
});

describe('the package', () => {
  it('is importable by plain node as "warden" and answers like the API', async () => {
    const script = `
      import { createModerator } from 'warden';
      const m = await createModerator();
      const r = await m.moderate(['出售冰毒', 'hello']);
      console.log(JSON.stringify({ version: r.lexicon_version, verdicts: r.results.map((x) => x.verdict), model: r.model }));
    `;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: REPO_ROOT, env });
    const out = JSON.parse(stdout);
    expect(out.version).toMatch(/^[0-9a-f]{12}$/);
    expect(out.verdicts).toEqual([expect.stringMatching(/block|flag/), 'allow']);
  });
});
