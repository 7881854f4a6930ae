import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/paths.js';

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `warden-${prefix}-`));
}

/** A lexicon directory with one file. */
export function lexiconDir(content: string): string {
  const dir = tempDir('lex');
  writeFileSync(join(dir, 'main.txt'), content);
  return dir;
}

export interface Spawned {
  readonly child: ChildProcess;
  readonly url: string;
  readonly logs: () => string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children = new Set<ChildProcess>();
// A failed or timed-out test must not leave its server running.
process.on('exit', () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

/** `node dist/cli/main.js serve` as operators run it; resolves once it logs "warden listening". */
export async function spawnServe(env: Record<string, string>): Promise<Spawned> {
  const child = spawn(process.execPath, ['dist/cli/main.js', 'serve'], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', CLASSIFIER: 'off', LOG_LEVEL: 'info', WORKERS: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.on('exit', () => children.delete(child));
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start:\n${out}`));
    }, 30_000);
    const onData = () => {
      const m = /"url":"(http:\/\/[^"]+)".*"msg":"warden listening"/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    void exited.then(() => reject(new Error(`server exited before listening:\n${out}`)));
  });
  return { child, url, logs: () => out, exited };
}

export function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
