/**
 * `npm run bench:match`: every matcher × lexicon, each matcher in its own
 * child process, sequentially (the machine is small and shared).
 *
 *   node dist/bench/bench/match/main.js [--quick] [--matchers=a,b] [--lexicons=merged,subset-1k] [--no-individual]
 *   npx tsx bench/match/main.ts --quick          (same, from source)
 *
 * Full: merged + 10k + 1k subsets on all 9,803 chunks and the whole corpus
 * string; then every individual list on every 8th chunk. --quick: merged only.
 */
import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { allLexicons, type LexiconSpec } from '../lib/data.js';
import { machineInfo, machineLine, type MachineInfo } from '../lib/machine.js';
import { RESULTS_DIR, sharedDir, sibling } from '../lib/paths.js';
import { MATCHERS } from './matchers.js';
import { analyseMatch, renderMatch, type MatchReport } from './report.js';
import type { ChildMessage, LexiconRun, MatchJob } from './types.js';

export interface MatchOptions {
  readonly quick: boolean;
  readonly matchers?: readonly string[];
  readonly lexicons?: readonly string[];
  readonly individual: boolean;
  readonly log: (line: string) => void;
}

/** A tier's share of a MatchJob, plus how long its child process may take. */
type TierSettings = Pick<MatchJob, 'modes' | 'chunkStride' | 'repBudgetMs' | 'reps' | 'maxReps' | 'rebuildBelowMs'> & { readonly timeoutMs: number };

/** Budgets sized so that a full `npm run bench` stays under 10 minutes on 2 cores. */
const MERGED: TierSettings = { modes: ['chunks', 'string'], chunkStride: 1, repBudgetMs: 600, reps: 5, maxReps: 5, rebuildBelowMs: 1000, timeoutMs: 150_000 };
const SUBSET: TierSettings = { ...MERGED, repBudgetMs: 250, rebuildBelowMs: 500, timeoutMs: 60_000 };
const QUICK: TierSettings = { ...MERGED, repBudgetMs: 600, maxReps: 5, rebuildBelowMs: 0, timeoutMs: 90_000 };
const INDIVIDUAL: TierSettings = { modes: ['chunks'], chunkStride: 8, repBudgetMs: 40, reps: 5, maxReps: 5, rebuildBelowMs: 0, timeoutMs: 180_000 };

function runChild(job: MatchJob, timeoutMs: number, log: (line: string) => void): Promise<LexiconRun[]> {
  return new Promise((resolve) => {
    const runs: LexiconRun[] = [];
    let stderr = '';
    let finished = false;
    let phase = 'building';
    const child = fork(sibling(import.meta.url, 'child'), [JSON.stringify(job)], {
      execArgv: [...process.execArgv.filter((a) => !a.startsWith('--cpu-prof')), '--expose-gc', '--max-old-space-size=6144'],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-2000);
    });
    const fill = (why: string): void => {
      for (const spec of job.lexicons) {
        if (!runs.some((r) => r.lexicon === spec.id)) runs.push({ matcher: job.matcher, lexicon: spec.id, terms: 0, modes: [], error: why });
      }
    };
    const timer = setTimeout(() => {
      if (finished) return;
      log(`  ${job.matcher}: timed out after ${timeoutMs / 1000} s, killed`);
      child.kill('SIGKILL');
      fill(`timed out while ${phase} (> ${timeoutMs / 1000} s for the job)`);
    }, timeoutMs);
    child.on('message', (m: ChildMessage) => {
      if (m.type === 'built') {
        phase = `scanning (${m.lexicon} built)`;
      } else if (m.type === 'run') {
        runs.push(m.run);
        phase = 'building';
        log(
          `  ${m.run.matcher} × ${m.run.lexicon}: ` +
            (m.run.error ??
              `build ${m.run.buildColdMs} ms` +
                m.run.modes
                  .map((x) => (x.error ? `, ${x.mode}: ${x.error}` : `, ${x.mode} ${x.mbPerS} MB/s${x.full ? '' : ` (${x.covered}/${x.total}, stride ${x.stride})`} ${x.matches} matches`))
                  .join('')),
        );
      } else {
        finished = true;
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (!finished) fill(`child exited (${signal ?? code})${stderr ? `: ${stderr.trim().split('\n').slice(-3).join(' | ')}` : ''}`);
      resolve(runs);
    });
  });
}

export async function runMatchBench(options: MatchOptions): Promise<MatchReport | { skipped: string }> {
  const shared = sharedDir();
  if (!shared) {
    const why = 'skipped: the shared data directory (../shared next to the repository, or WARDEN_SHARED_DIR) is absent: it holds the lexicons and the corpus';
    options.log(`bench:match ${why}`);
    return { skipped: why };
  }
  const started = Date.now();
  const { headline, individual } = allLexicons(shared);
  const pick = (specs: LexiconSpec[]): LexiconSpec[] => (options.lexicons ? specs.filter((s) => options.lexicons!.includes(s.id)) : specs);
  const matchers = MATCHERS.filter((m) => !options.matchers || options.matchers.includes(m.id));
  const headTier = (spec: LexiconSpec): TierSettings => (options.quick ? QUICK : spec.kind === 'merged' ? MERGED : SUBSET);
  const headSpecs = options.quick && !options.lexicons ? headline.filter((s) => s.id === 'merged') : pick(headline);
  const indivSpecs = options.quick || !options.individual ? [] : pick(individual);

  const runs: LexiconRun[] = [];
  for (const spec of headSpecs) {
    options.log(`lexicon ${spec.id}:`);
    for (const m of matchers) {
      const tier = headTier(spec);
      const job: MatchJob = { matcher: m.id, shared, lexicons: [spec], ...tier };
      runs.push(...(await runChild(job, tier.timeoutMs, options.log)));
    }
  }
  if (indivSpecs.length) {
    options.log(`individual lists (${indivSpecs.length}), every ${INDIVIDUAL.chunkStride}th chunk:`);
    for (const m of matchers) {
      const job: MatchJob = { matcher: m.id, shared, lexicons: indivSpecs, ...INDIVIDUAL };
      runs.push(...(await runChild(job, INDIVIDUAL.timeoutMs, () => {})));
      options.log(`  ${m.id}: done`);
    }
  }
  return analyseMatch({
    runs,
    headline: headSpecs.map((s) => s.id),
    individual: indivSpecs.map((s) => s.id),
    matchers: matchers.map((m) => m.id),
    settings: options.quick ? { quick: QUICK } : { merged: MERGED, subsets: SUBSET, individual: INDIVIDUAL },
    seconds: Math.round((Date.now() - started) / 1000),
  });
}

export function parseMatchArgs(argv: readonly string[]): Omit<MatchOptions, 'log'> {
  const list = (name: string): string[] | undefined => {
    const a = argv.find((x) => x.startsWith(`--${name}=`));
    return a ? a.slice(name.length + 3).split(',').filter(Boolean) : undefined;
  };
  return { quick: argv.includes('--quick'), matchers: list('matchers'), lexicons: list('lexicons'), individual: !argv.includes('--no-individual') };
}

export const today = (): string => new Date().toISOString().slice(0, 10);

async function main(): Promise<void> {
  const opts = parseMatchArgs(process.argv.slice(2));
  const machine: MachineInfo = machineInfo();
  const log = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };
  log(`bench:match on ${machineLine(machine)}${opts.quick ? ' (quick)' : ''}`);
  const report = await runMatchBench({ ...opts, log });
  if ('skipped' in report) return;
  const md = `## Matching (${today()})\n\nMachine: ${machineLine(machine)}\n\n${renderMatch(report)}`;
  process.stdout.write(`${md}\n`);
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${today()}-match${opts.quick ? '-quick' : ''}.json`);
  writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), machine, quick: opts.quick, match: report }, null, 1));
  log(`wrote ${file}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
}
