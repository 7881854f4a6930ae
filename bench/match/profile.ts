/**
 * Profiles warden's normalise+match (the compiled dist/ code) over the
 * request-sized chunks under `node --cpu-prof`, then prints the functions
 * with the most self time.
 *
 *   node dist/bench/bench/match/profile.js [--seconds=10] [--lexicon=merged|subset-10k|subset-1k] [--match-alone] [--no-inline] [--top=25]
 *
 * --no-inline turns V8's inlining off (--no-turbo-inlining) so that time
 * spent in small callees (Automaton.scan, fold helpers) is attributed to
 * them rather than to their caller; absolute speed drops, shares are still
 * informative.
 *   npx tsx bench/match/profile.ts
 *
 * The .cpuprofile is kept in bench/results/profiles/ (open it in Chrome
 * DevTools or speedscope for the call tree; *.cpuprofile is git-ignored).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { renderTop, topSelfTime } from '../lib/cpuprofile.js';
import { allLexicons, loadCorpus, loadLexicon } from '../lib/data.js';
import { RESULTS_DIR, sharedDir } from '../lib/paths.js';
import { matcherById } from './matchers.js';

const arg = (name: string, dflt: string): string => {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a ? a.slice(name.length + 3) : dflt;
};

async function worker(): Promise<void> {
  const shared = sharedDir()!;
  const spec = allLexicons(shared).headline.find((s) => s.id === arg('lexicon', 'merged'));
  if (!spec) throw new Error('profile: unknown --lexicon');
  const matcher = matcherById(process.argv.includes('--match-alone') ? 'warden match alone' : 'warden normalise+match');
  const build = await matcher.load();
  const corpus = loadCorpus(shared);
  const scanner = build(loadLexicon(shared, spec));
  const until = performance.now() + Number(arg('seconds', '10')) * 1000;
  let passes = 0;
  let matches = 0;
  let bytes = 0;
  const t0 = performance.now();
  while (performance.now() < until) {
    for (let i = 0; i < corpus.chunks.length; i++) {
      matches += scanner.scan(corpus.chunks[i]!);
      bytes += corpus.chunkBytes[i]!;
      if ((i & 255) === 0 && performance.now() >= until) break;
    }
    passes++;
  }
  const s = (performance.now() - t0) / 1000;
  process.stderr.write(`${matcher.id} × ${spec.id}: ${passes} pass(es), ${(bytes / 1048576 / s).toFixed(1)} MB/s under the profiler, ${matches} matches\n`);
}

function main(): void {
  if (!sharedDir()) {
    process.stderr.write('bench:profile skipped: the shared data directory (../shared or WARDEN_SHARED_DIR) is absent\n');
    return;
  }
  const dir = join(RESULTS_DIR, 'profiles');
  mkdirSync(dir, { recursive: true });
  const name = `match-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`;
  const self = process.argv[1]!;
  const v8 = process.argv.includes('--no-inline') ? ['--no-turbo-inlining'] : [];
  const r = spawnSync(process.execPath, [...process.execArgv, ...v8, '--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}`, self, '--worker', ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error(`profile worker failed (${r.status ?? r.signal})`);
  const file = join(dir, name);
  statSync(file);
  process.stdout.write(`Top self time (${file}):\n\n${renderTop(topSelfTime(file, Number(arg('top', '25'))))}\n`);
  const old = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort();
  if (old.length > 10) process.stderr.write(`note: ${old.length} profiles in ${dir}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv.includes('--worker')) {
    worker().catch((e: unknown) => {
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(1);
    });
  } else {
    main();
  }
}
