/**
 * `npm run bench:service`: warden's POST /moderate next to its ceiling, a
 * bare Hono server that only parses the JSON body and answers a fixed
 * verdict. Both run in their own processes, the load generator (autocannon)
 * in a third; each scenario is measured on the ceiling and on warden
 * alternately, with the same bodies, connections and duration.
 *
 *   node dist/bench/bench/service/main.js [--quick] [--connections=10] [--duration=8]
 *   npx tsx bench/service/main.ts --quick
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { machineInfo, machineLine } from '../lib/machine.js';
import { ROOT, sharedDir, sibling } from '../lib/paths.js';
import { median, round } from '../lib/stats.js';
import type { LoadJob, LoadResult } from './load.js';
import { mulberry32 } from '../../scripts/train/prng.js';

export interface ServiceOptions {
  readonly quick: boolean;
  readonly connections: number;
  readonly durationS: number;
  readonly warmupS: number;
  readonly rounds: number;
  readonly batchSize: number;
  readonly log: (line: string) => void;
}

export interface SeriesResult {
  readonly id: string;
  readonly target: 'ceiling' | 'warden';
  readonly shape: 'single' | 'batch';
  readonly path: 'ceiling' | 'keyword' | 'classifier';
  readonly rounds: LoadResult[];
  /** Medians over rounds. */
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly p999: number;
  readonly itemsPerS: number;
  readonly vsCeiling: number | null;
  readonly skipped?: string;
}

export interface ServiceReport {
  readonly connections: number;
  readonly durationS: number;
  readonly rounds: number;
  readonly batchSize: number;
  readonly textSource: string;
  readonly textBytes: number;
  readonly model: string | null;
  readonly lexicon: { version: string; terms: number } | null;
  readonly series: SeriesResult[];
  readonly targets: {
    keywordVsCeiling: { value: number | null; target: 0.6; met: boolean | null };
    keywordP99Ms: { value: number | null; target: 5; met: boolean | null };
    classifierVsCeiling: { value: number | null; target: 0.4; met: boolean | null; skipped?: string };
  };
  readonly seconds: number;
}

// ---------------------------------------------------------------- texts

const FALLBACK = [
  'The delivery was fast and the food was still hot, 送餐很快，饭菜还是热的，下次还会再点。',
  'Customer service never answered my emails. 客服一直不回邮件，体验很差，不推荐购买。',
  '这本书的翻译质量一般，但是故事本身很吸引人。The plot is gripping even if the translation is uneven.',
  'Room was clean, staff were friendly, breakfast could be better. 房间干净，服务热情，早餐一般。',
  '屏幕显示效果不错，电池续航也可以，就是机身有点重。Battery life is fine but it is heavy.',
];

/** Cut to at most `bytes` UTF-8 bytes on a character boundary. */
function cutBytes(s: string, bytes: number): string {
  let used = 0;
  let i = 0;
  while (i < s.length) {
    const cp = s.codePointAt(i)!;
    const b = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (used + b > bytes) break;
    used += b;
    i += cp > 0xffff ? 2 : 1;
  }
  return s.slice(0, i);
}

/** 1 KB texts mixing Chinese and English corpus lines (seeded), or built-in sentences without ../shared. */
export function mixedTexts(count: number, bytes = 1024): { texts: string[]; source: string } {
  const shared = sharedDir();
  let zh: string[] = [];
  let en: string[] = [];
  let source = 'built-in mixed sentences (../shared absent)';
  if (shared) {
    const lines = readFileSync(join(shared, 'corpus', 'corpus.txt'), 'utf8').split('\n');
    zh = lines.filter((l) => /[\u4e00-\u9fff]/.test(l) && l.length >= 20);
    en = lines.filter((l) => /^[\x20-\x7e\t]+$/.test(l) && l.length >= 40);
    source = `corpus.txt lines, Chinese and English alternating (seeded), cut to ${bytes} UTF-8 bytes`;
  }
  if (zh.length === 0 || en.length === 0) {
    zh = FALLBACK;
    en = FALLBACK;
  }
  const rnd = mulberry32(0x5eed);
  const texts: string[] = [];
  for (let k = 0; k < count; k++) {
    let s = '';
    let turn = k % 2;
    while (Buffer.byteLength(s) < bytes) {
      const pool = turn++ % 2 ? en : zh;
      s += (s ? ' ' : '') + pool[Math.floor(rnd() * pool.length)]!;
    }
    texts.push(cutBytes(s, bytes));
  }
  return { texts, source };
}

// ---------------------------------------------------------------- processes

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

async function waitReady(url: string, child: ChildProcess, timeoutMs: number): Promise<{ model: string | null; lexicon_version: string; terms: number }> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`warden exited with code ${child.exitCode} before it was ready`);
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.ok) return (await res.json()) as { model: string | null; lexicon_version: string; terms: number };
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`warden not ready after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function startCeiling(): Promise<{ url: string; child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, sibling(import.meta.url, 'ceiling')], { stdio: ['ignore', 'pipe', 'inherit'] });
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) resolve({ url: (JSON.parse(buf.slice(0, nl)) as { url: string }).url, child });
    });
    child.once('exit', (code) => reject(new Error(`ceiling server exited (${code})`)));
  });
}

function runLoad(job: LoadJob): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    // The job (bodies included) goes over stdin: too big for argv.
    const child = spawn(process.execPath, [...process.execArgv, sibling(import.meta.url, 'load')], { stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin!.end(JSON.stringify(job));
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.once('exit', (code) => {
      if (code === 0) resolve(JSON.parse(out.trim().split('\n').pop()!) as LoadResult);
      else reject(new Error(`load generator failed (${code}): ${err.slice(-500)}`));
    });
  });
}

const stop = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 3000).unref();
  });

// ---------------------------------------------------------------- the run

export async function runServiceBench(o: ServiceOptions): Promise<ServiceReport | { skipped: string }> {
  const cli = join(ROOT, 'dist', 'cli', 'main.js');
  if (!existsSync(cli)) {
    const why = `skipped: ${cli} is missing (run \`npm run build\` first)`;
    o.log(`bench:service ${why}`);
    return { skipped: why };
  }
  const started = Date.now();
  const { texts, source } = mixedTexts(256);
  const batches: string[][] = [];
  for (let k = 0; k < 64; k++) batches.push(Array.from({ length: o.batchSize }, (_, j) => texts[(k * o.batchSize + j) % texts.length]!));
  const body = (input: string | string[], classify: 'never' | 'always'): string => JSON.stringify({ input, classify });
  const bodies = {
    single: { never: texts.map((t) => body(t, 'never')), always: texts.map((t) => body(t, 'always')) },
    batch: { never: batches.map((b) => body(b, 'never')), always: batches.map((b) => body(b, 'always')) },
  };

  const ceiling = await startCeiling();
  // One worker, like the ceiling: the ratio compares the same number of serving processes. A second
  // instance with WORKERS=2 shows the scaling (on 2 cores the load generator takes one of them).
  const startWarden = async (workers: number): Promise<{ url: string; child: ChildProcess }> => {
    const port = await freePort();
    const child = spawn(process.execPath, [cli, 'serve'], {
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'silent', WORKERS: String(workers) },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    return { url: `http://127.0.0.1:${port}`, child };
  };
  const { url: wardenUrl, child: warden } = await startWarden(1);
  const { url: warden2Url, child: warden2 } = await startWarden(2);
  try {
    const ready = await waitReady(wardenUrl, warden, 120_000);
    await waitReady(warden2Url, warden2, 120_000);
    o.log(`warden ready: ${ready.terms} terms, model ${ready.model ?? 'none'}; ceiling at ${ceiling.url}`);
    // One request of each kind first: they must succeed, and tell whether the model answers.
    let model: string | null = null;
    for (const [shape, b] of [['single', bodies.single.always[0]!], ['batch', bodies.batch.always[0]!]] as const) {
      const res = await fetch(`${wardenUrl}/moderate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: b });
      if (!res.ok) throw new Error(`warden answered ${res.status} to a ${shape} request: ${(await res.text()).slice(0, 300)}`);
      model = ((await res.json()) as { model: string | null }).model;
    }
    const noModel = model === null ? `skipped: no model (the response's "model" is null${process.env.CLASSIFIER ? `, CLASSIFIER=${process.env.CLASSIFIER}` : ''})` : undefined;

    type Plan = { id: string; target: 'ceiling' | 'warden'; url?: string; shape: 'single' | 'batch'; path: 'ceiling' | 'keyword' | 'classifier'; bodies: string[] };
    const plans: Plan[] = [];
    for (const shape of ['single', 'batch'] as const) {
      plans.push({ id: `ceiling ${shape}`, target: 'ceiling', shape, path: 'ceiling', bodies: bodies[shape].never });
      plans.push({ id: `warden keyword ${shape}`, target: 'warden', shape, path: 'keyword', bodies: bodies[shape].never });
      if (!noModel) plans.push({ id: `warden classifier ${shape}`, target: 'warden', shape, path: 'classifier', bodies: bodies[shape].always });
    }
    plans.push({ id: 'warden keyword single, WORKERS=2', target: 'warden', url: warden2Url, shape: 'single', path: 'keyword', bodies: bodies.single.never });
    const results = new Map<string, LoadResult[]>(plans.map((p) => [p.id, []]));
    for (let round = 1; round <= o.rounds; round++) {
      for (const p of plans) {
        const r = await runLoad({
          url: p.url ?? (p.target === 'ceiling' ? ceiling.url : wardenUrl),
          bodies: p.bodies,
          connections: o.connections,
          durationS: o.durationS,
          warmupS: round === 1 ? o.warmupS : Math.min(1, o.warmupS),
        });
        results.get(p.id)!.push(r);
        o.log(`  round ${round} ${p.id}: ${r.rps} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, p99.9 ${r.p999} ms${r.non2xx || r.errors ? `, ${r.non2xx} non-2xx, ${r.errors} errors` : ''}`);
      }
    }
    const series: SeriesResult[] = [];
    const items = (shape: 'single' | 'batch'): number => (shape === 'batch' ? o.batchSize : 1);
    for (const p of plans) {
      const rs = results.get(p.id)!;
      const rps = median(rs.map((r) => r.rps));
      const ceil = p.target === 'warden' ? median(results.get(`ceiling ${p.shape}`)!.map((r) => r.rps)) : null;
      series.push({
        id: p.id,
        target: p.target,
        shape: p.shape,
        path: p.path,
        rounds: rs,
        rps: round(rps, 0),
        p50: median(rs.map((r) => r.p50)),
        p99: median(rs.map((r) => r.p99)),
        p999: median(rs.map((r) => r.p999)),
        itemsPerS: round(rps * items(p.shape), 0),
        vsCeiling: ceil ? round(rps / ceil, 3) : null,
      });
      if (rs.some((r) => r.non2xx > 0 || r.errors > 0)) o.log(`  warning: ${p.id} had non-2xx responses or errors`);
    }
    if (noModel) {
      for (const shape of ['single', 'batch'] as const)
        series.push({ id: `warden classifier ${shape}`, target: 'warden', shape, path: 'classifier', rounds: [], rps: NaN, p50: NaN, p99: NaN, p999: NaN, itemsPerS: NaN, vsCeiling: null, skipped: noModel });
    }
    const kw = series.find((s) => s.id === 'warden keyword single');
    const cl = series.find((s) => s.id === 'warden classifier single');
    const met = (v: number | null | undefined, ok: (x: number) => boolean): boolean | null => (v === null || v === undefined || Number.isNaN(v) ? null : ok(v));
    return {
      connections: o.connections,
      durationS: o.durationS,
      rounds: o.rounds,
      batchSize: o.batchSize,
      textSource: source,
      textBytes: 1024,
      model,
      lexicon: { version: ready.lexicon_version, terms: ready.terms },
      series,
      targets: {
        keywordVsCeiling: { value: kw?.vsCeiling ?? null, target: 0.6, met: met(kw?.vsCeiling, (x) => x >= 0.6) },
        keywordP99Ms: { value: kw?.p99 ?? null, target: 5, met: met(kw?.p99, (x) => x <= 5) },
        classifierVsCeiling: { value: cl?.vsCeiling ?? null, target: 0.4, met: met(cl?.vsCeiling, (x) => x >= 0.4), skipped: noModel },
      },
      seconds: Math.round((Date.now() - started) / 1000),
    };
  } finally {
    await Promise.all([stop(warden), stop(warden2), stop(ceiling.child)]);
  }
}

const yes = (b: boolean | null): string => (b === null ? 'not measured' : b ? '**met**' : '**NOT met**');

export function renderService(r: ServiceReport): string {
  const out: string[] = [
    `${r.connections} connections, ${r.durationS} s per run, ${r.rounds} round(s) alternating ceiling and warden (medians over rounds); bodies: ${r.textSource}; batch = ${r.batchSize} texts per request. warden: bundled lexicon (${r.lexicon?.terms ?? '?'} terms), model: ${r.model ?? 'none'}.`,
    '',
    '| scenario | req/s | texts/s | p50 ms | p99 ms | p99.9 ms | vs ceiling |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const s of r.series) {
    if (s.skipped) {
      out.push(`| ${s.id} | ${s.skipped} | | | | | |`);
      continue;
    }
    out.push(`| ${s.id} | ${s.rps.toLocaleString('en-US')} | ${s.itemsPerS.toLocaleString('en-US')} | ${s.p50} | ${s.p99} | ${s.p999} | ${s.vsCeiling === null ? '—' : `${(s.vsCeiling * 100).toFixed(0)}%`} |`);
  }
  const t = r.targets;
  const pct = (x: number | null): string => (x === null ? '—' : `${(x * 100).toFixed(0)}%`);
  out.push(
    '',
    '**Targets (1 KB, single text per request, this run):**',
    '',
    `- keyword path ≥ 60% of the ceiling: ${pct(t.keywordVsCeiling.value)} → ${yes(t.keywordVsCeiling.met)}`,
    `- keyword path p99 ≤ 5 ms (at ${r.connections} connections): ${t.keywordP99Ms.value ?? '—'} ms → ${yes(t.keywordP99Ms.met)}`,
    `- with the classifier ≥ 40% of the ceiling: ${t.classifierVsCeiling.skipped ?? `${pct(t.classifierVsCeiling.value)} → ${yes(t.classifierVsCeiling.met)}`}`,
    '',
  );
  return out.join('\n');
}

export function parseServiceArgs(argv: readonly string[]): Omit<ServiceOptions, 'log'> {
  const num = (name: string, dflt: number): number => {
    const a = argv.find((x) => x.startsWith(`--${name}=`));
    const v = a ? Number(a.slice(name.length + 3)) : dflt;
    if (!Number.isFinite(v) || v <= 0) throw new Error(`bench:service: bad --${name}`);
    return v;
  };
  const quick = argv.includes('--quick');
  return {
    quick,
    connections: num('connections', 10),
    durationS: num('duration', quick ? 4 : 8),
    warmupS: num('warmup', quick ? 1 : 2),
    rounds: num('rounds', quick ? 1 : 2),
    batchSize: num('batch', 16),
  };
}

async function main(): Promise<void> {
  const opts = parseServiceArgs(process.argv.slice(2));
  const log = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };
  const machine = machineInfo();
  log(`bench:service on ${machineLine(machine)}`);
  const rep = await runServiceBench({ ...opts, log });
  if ('skipped' in rep) return;
  process.stdout.write(`## Service\n\nMachine: ${machineLine(machine)}\n\n${renderService(rep)}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
}
