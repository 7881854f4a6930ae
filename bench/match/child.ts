/**
 * One matcher in its own process (memory is its own): for each lexicon of the
 * job, build it (cold, then a few warm rebuilds when cheap), record the
 * memory it retains, then scan the corpus as chunks and as one string.
 * Results go to the parent over IPC, one message per lexicon.
 *
 * Run by bench/match/main.ts with --expose-gc; the job is argv[2] (JSON).
 */
import { Buffer } from 'node:buffer';
import { loadCorpus, loadLexicon, type Corpus } from '../lib/data.js';
import { iqrRatio, median, round } from '../lib/stats.js';
import { matcherById, type Scanner } from './matchers.js';
import type { ChildMessage, LexiconRun, MatchJob, ModeRun } from './types.js';

const MB = 1024 * 1024;
const gc = (): void => {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) {
    g();
    g();
  }
};
const send = (m: ChildMessage): void => {
  process.send?.(m);
};
const errorText = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

function repsFor(job: MatchJob, passMs: number): number {
  const extra = passMs > 0 ? Math.floor((job.repBudgetMs * job.reps) / passMs) : job.maxReps;
  return Math.max(job.reps, Math.min(job.maxReps, extra));
}

/** A fresh flat copy (a slice would be a V8 SlicedString). */
const flat = (s: string): string => Buffer.from(s, 'utf8').toString('utf8');

function cutAtNewline(s: string, units: number): string {
  if (units >= s.length) return s;
  const nl = s.lastIndexOf('\n', units);
  return s.slice(0, nl > units / 2 ? nl + 1 : units);
}

/**
 * Which chunks to scan: all of them when a pass fits one repetition's
 * budget, else every k-th chunk (a sample spread over the whole corpus, so
 * slow matchers see the same mix of Chinese and English as fast ones).
 * Calibrated on every 64th chunk, which doubles as the JIT warm-up.
 */
function chooseStride(job: MatchJob, scanner: Scanner, corpus: Corpus): number {
  const n = corpus.chunks.length;
  const pass = (): { ms: number; bytes: number; cut: boolean } => {
    let bytes = 0;
    const t0 = performance.now();
    for (let i = 0; i < n; i += 64) {
      scanner.scan(corpus.chunks[i]!);
      bytes += corpus.chunkBytes[i]!;
      if (performance.now() - t0 > job.repBudgetMs / 2) return { ms: performance.now() - t0, bytes, cut: true };
    }
    return { ms: performance.now() - t0, bytes, cut: false };
  };
  // The first pass is cold (JIT, lazily built tables): measure again, warm. A second cut pass costs half a budget more.
  pass();
  const p = pass();
  const { bytes } = p;
  const ms = Math.max(0.01, p.ms);
  const fullMs = (ms * corpus.totalBytes) / bytes;
  // Up to twice the budget still scans everything: the fast matchers, the ones compared most closely, then see the same text.
  return Math.max(job.chunkStride, fullMs <= 2 * job.repBudgetMs ? 1 : Math.ceil(fullMs / job.repBudgetMs));
}

function scanChunks(job: MatchJob, scanner: Scanner, corpus: Corpus, sel: number[]): ModeRun {
  const texts = sel.map((i) => corpus.chunks[i]!);
  const w0 = performance.now();
  for (const t of texts) scanner.scan(t); // warm-up pass
  const passMs = performance.now() - w0;
  const counts = new Array<number>(texts.length).fill(0);
  const reps = repsFor(job, passMs);
  const times: number[] = [];
  let matches = -1;
  for (let r = 0; r < reps; r++) {
    let n = 0;
    const start = performance.now();
    for (let k = 0; k < texts.length; k++) {
      const c = scanner.scan(texts[k]!);
      counts[k] = c;
      n += c;
    }
    times.push(performance.now() - start);
    if (matches >= 0 && n !== matches) throw new Error(`chunk scan not deterministic: ${n} vs ${matches} matches`);
    matches = n;
  }
  const bytes = sel.reduce((s, i) => s + corpus.chunkBytes[i]!, 0);
  const chars = sel.reduce((s, i) => s + corpus.chunkChars[i]!, 0);
  return {
    mode: 'chunks',
    covered: sel.length,
    total: corpus.chunks.length,
    full: sel.length === corpus.chunks.length,
    stride: sel.length > 1 ? sel[1]! - sel[0]! : 1,
    ...throughput(times, bytes, chars),
    matches,
    chunkIndex: sel,
    chunkCounts: counts,
  };
}

/** Size and speed of a scanned text: repetitions, median, spread, MB/s and M chars/s. */
function throughput(times: number[], bytes: number, chars: number) {
  const med = median(times);
  return {
    bytes,
    chars,
    repsMs: times.map((t) => round(t, 3)),
    medianMs: round(med, 3),
    spread: round(iqrRatio(times), 3),
    mbPerS: round(bytes / MB / (med / 1000), 2),
    mcharsPerS: round(chars / 1e6 / (med / 1000), 2),
  };
}

/**
 * The selected chunks concatenated (with every chunk: exactly corpus.txt).
 * Some matchers are superlinear on long strings, so the size is probed by
 * doubling prefixes first; when a full scan would blow the budget, a prefix
 * that fits is scanned instead (and reported as such).
 */
function scanString(job: MatchJob, scanner: Scanner, corpus: Corpus, sel: number[]): ModeRun {
  const full = sel.length === corpus.chunks.length ? corpus.whole() : sel.map((i) => corpus.chunks[i]!).join('');
  let size = Math.min(full.length, 8192);
  let fits = 0;
  let growth = 1;
  let lastMs = 0;
  for (;;) {
    const t0 = performance.now();
    scanner.scan(full.slice(0, size));
    const ms = performance.now() - t0;
    if (lastMs > 0.5) growth = Math.max(1, ms / lastMs / 2); // > 1: worse than linear
    if (ms > job.repBudgetMs) break;
    fits = size;
    lastMs = ms;
    if (size === full.length) break;
    // Projected time for the whole text at the observed per-unit cost and growth.
    const projected = ms * (full.length / size) * growth ** Math.log2(full.length / size);
    if (projected <= job.repBudgetMs * 1.5) {
      fits = full.length;
      break;
    }
    size = Math.min(full.length, size * 2);
  }
  if (fits === 0) fits = Math.min(full.length, 8192);
  const text = fits === full.length ? full : flat(cutAtNewline(full, fits));
  const w0 = performance.now();
  scanner.scan(text); // warm-up at full size (buffers grow here)
  const reps = repsFor(job, performance.now() - w0);
  const times: number[] = [];
  let matches = -1;
  for (let r = 0; r < reps; r++) {
    const start = performance.now();
    const n = scanner.scan(text);
    times.push(performance.now() - start);
    if (matches >= 0 && n !== matches) throw new Error(`string scan not deterministic: ${n} vs ${matches} matches`);
    matches = n;
  }
  const bytes = Buffer.byteLength(text, 'utf8');
  let chars = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) chars--;
  }
  return {
    mode: 'string',
    covered: text.length,
    total: corpus.totalUnits,
    full: text.length === corpus.totalUnits,
    stride: sel.length > 1 ? sel[1]! - sel[0]! : 1,
    prefixOfSample: text.length < full.length,
    superlinear: growth > 1.3 ? round(growth, 2) : undefined,
    ...throughput(times, bytes, chars),
    matches,
  };
}

const FAILED: ModeRun = {
  mode: 'chunks',
  covered: 0,
  total: 0,
  full: false,
  stride: 0,
  bytes: 0,
  chars: 0,
  repsMs: [],
  medianMs: NaN,
  spread: 0,
  mbPerS: NaN,
  mcharsPerS: NaN,
  matches: -1,
};

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '{}') as MatchJob;
  const def = matcherById(job.matcher);
  const build = await def.load();
  const corpus = loadCorpus(job.shared);
  const lexicons = job.lexicons.map((spec) => ({ spec, terms: loadLexicon(job.shared, spec) }));

  for (const { spec, terms } of lexicons) {
    const base = { matcher: def.id, lexicon: spec.id, terms: terms.length };
    let scanner: Scanner;
    let buildPart: Omit<LexiconRun, 'matcher' | 'lexicon' | 'terms' | 'modes'>;
    try {
      gc();
      const m0 = process.memoryUsage();
      const peak0 = process.resourceUsage().maxRSS * 1024;
      const t0 = performance.now();
      scanner = build(terms);
      const coldMs = performance.now() - t0;
      const peak1 = process.resourceUsage().maxRSS * 1024;
      gc();
      const m1 = process.memoryUsage();
      const warm: number[] = [];
      if (coldMs < job.rebuildBelowMs) {
        for (let k = 0; k < 2; k++) {
          const t = performance.now();
          build(terms);
          warm.push(performance.now() - t);
        }
        gc();
      }
      buildPart = {
        patterns: scanner.patterns,
        buildColdMs: round(coldMs, 1),
        buildWarmMs: warm.length ? round(median(warm), 1) : undefined,
        builds: 1 + warm.length,
        heapDeltaMB: round((m1.heapUsed - m0.heapUsed) / MB, 1),
        externalDeltaMB: round((m1.external - m0.external) / MB, 1),
        rssDeltaMB: round((m1.rss - m0.rss) / MB, 1),
        peakRssDeltaMB: peak1 > peak0 ? round((peak1 - m0.rss) / MB, 1) : null,
      };
    } catch (e) {
      send({ type: 'run', run: { ...base, modes: [], error: `build failed: ${errorText(e)}` } });
      continue;
    }
    send({ type: 'built', lexicon: spec.id });
    const modes: ModeRun[] = [];
    let sel: number[] = [];
    try {
      const stride = chooseStride(job, scanner, corpus);
      for (let i = 0; i < corpus.chunks.length; i += stride) sel.push(i);
    } catch (e) {
      sel = [];
      modes.push({ ...FAILED, mode: 'chunks', error: errorText(e) });
    }
    for (const mode of sel.length ? job.modes : []) {
      try {
        modes.push(mode === 'chunks' ? scanChunks(job, scanner, corpus, sel) : scanString(job, scanner, corpus, sel));
      } catch (e) {
        modes.push({ ...FAILED, mode, error: errorText(e) });
      }
    }
    send({ type: 'run', run: { ...base, ...buildPart, modes } });
    gc();
  }
  send({ type: 'done' });
}

main().then(
  () => process.disconnect?.(),
  (e: unknown) => {
    process.stderr.write(`${errorText(e)}\n`);
    process.exit(1);
  },
);
