/** Turns the children's raw runs into ratios, count cross-checks and markdown. */
import { MATCHERS, REFERENCE, type MatcherDef } from './matchers.js';
import type { LexiconRun, ModeRun, ScanMode } from './types.js';

/**
 * Counts published in ../shared/corpus/SOURCE.md for the merged lexicon:
 * standard overlapping exact-case AC, and leftmost-first non-overlapping.
 */
export const SOURCE_COUNTS = {
  overlapping: { chunks: 237_470, string: 237_486 },
  leftmostFirst: { chunks: 213_603, string: 213_617 },
} as const;

export interface CountCheck {
  readonly matcher: string;
  readonly lexicon: string;
  readonly mode: ScanMode;
  /** 'agree' | 'DISAGREE' | 'differs by design' | 'n/a'. */
  readonly status: string;
  readonly detail: string;
}

export interface RatioRow {
  readonly lexicon: string;
  readonly mode: ScanMode;
  readonly fastestPeer: string | null;
  readonly fastestPeerMBs: number | null;
  readonly wardenNormaliseMatchMBs: number | null;
  readonly wardenMatchAloneMBs: number | null;
  /** warden normalise+match ÷ fastest npm peer (throughput). */
  readonly normaliseMatchRatio: number | null;
  readonly matchAloneRatio: number | null;
}

export interface MatchTargets {
  readonly normaliseMatchVsFastestPeer: { value: number | null; target: 3; met: boolean | null };
  readonly compileMergedMs: { value: number | null; target: 1000; met: boolean | null };
  readonly compileMergedMB: { value: number | null; target: 150; met: boolean | null; measure: string };
}

export interface MatchReport {
  readonly runs: LexiconRun[];
  readonly headline: string[];
  readonly individual: string[];
  readonly matchers: string[];
  readonly settings: unknown;
  readonly seconds: number;
  readonly checks: CountCheck[];
  readonly ratios: RatioRow[];
  readonly targets: MatchTargets;
  readonly notes: Record<string, string>;
}

const def = (id: string): MatcherDef | undefined => MATCHERS.find((m) => m.id === id);
const modeOf = (r: LexiconRun | undefined, mode: ScanMode): ModeRun | undefined => r?.modes.find((m) => m.mode === mode && !m.error);

function check(run: LexiconRun, mode: ScanMode, ref: LexiconRun | undefined): CountCheck {
  const base = { matcher: run.matcher, lexicon: run.lexicon, mode };
  const m = modeOf(run, mode);
  if (!m) return { ...base, status: 'n/a', detail: 'no result' };
  const d = def(run.matcher);
  const sourceKey = d?.semantics === 'overlapping-exact' ? 'overlapping' : d?.semantics === 'leftmost-first' ? 'leftmostFirst' : null;
  const notes: string[] = [];
  let status = 'n/a';
  // The published counts for the merged lexicon (whole corpus, all chunks).
  if (run.lexicon === 'merged' && sourceKey && m.full && (mode === 'string' || m.total === 9803)) {
    const want = SOURCE_COUNTS[sourceKey][mode];
    status = m.matches === want ? 'agree' : 'DISAGREE';
    notes.push(`${m.matches === want ? '=' : '≠'} SOURCE.md ${want.toLocaleString('en-US')}`);
  }
  if (d?.semantics !== 'overlapping-exact') {
    if (status === 'n/a') status = 'differs by design';
    if (d?.semantics !== 'leftmost-first') notes.push(`${d?.semantics ?? '?'} semantics`);
    return { ...base, status, detail: notes.join('; ') };
  }
  const r = modeOf(ref, mode);
  if (run.matcher !== REFERENCE && r) {
    if (mode === 'chunks') {
      // Compare on the chunks both scanned (their strides may differ).
      const theirs = new Map<number, number>();
      (r.chunkIndex ?? []).forEach((i, k) => theirs.set(i, r.chunkCounts?.[k] ?? 0));
      let a = 0;
      let b = 0;
      let common = 0;
      (m.chunkIndex ?? []).forEach((i, k) => {
        const t = theirs.get(i);
        if (t === undefined) return;
        common++;
        a += m.chunkCounts?.[k] ?? 0;
        b += t;
      });
      const where = common < m.total ? ` (on the ${common} chunks both scanned)` : '';
      if (common === 0) notes.push(`no chunk in common with ${REFERENCE}`);
      else {
        notes.push(a === b ? `= ${REFERENCE}${where}` : `≠ ${REFERENCE}${where}: ${a} vs ${b}`);
        status = a === b && status !== 'DISAGREE' ? 'agree' : 'DISAGREE';
      }
    } else if (m.covered === r.covered && m.stride === r.stride) {
      notes.push(m.matches === r.matches ? `= ${REFERENCE}` : `≠ ${REFERENCE}: ${m.matches} vs ${r.matches}`);
      status = m.matches === r.matches && status !== 'DISAGREE' ? 'agree' : 'DISAGREE';
    } else {
      notes.push(`not compared with ${REFERENCE} (different text)`);
    }
  }
  return { ...base, status, detail: notes.join('; ') };
}

export function analyseMatch(input: {
  runs: LexiconRun[];
  headline: string[];
  individual: string[];
  matchers: string[];
  settings: unknown;
  seconds: number;
}): MatchReport {
  const { runs } = input;
  const find = (matcher: string, lexicon: string): LexiconRun | undefined => runs.find((r) => r.matcher === matcher && r.lexicon === lexicon);
  const checks: CountCheck[] = [];
  const ratios: RatioRow[] = [];
  for (const lexicon of [...input.headline, ...input.individual]) {
    const ref = find(REFERENCE, lexicon);
    const modes: ScanMode[] = input.headline.includes(lexicon) ? ['chunks', 'string'] : ['chunks'];
    for (const mode of modes) {
      for (const run of runs.filter((r) => r.lexicon === lexicon)) checks.push(check(run, mode, ref));
      let best: { id: string; mbs: number } | null = null;
      for (const run of runs.filter((r) => r.lexicon === lexicon && def(r.matcher)?.npmPeer)) {
        const m = modeOf(run, mode);
        if (m && (!best || m.mbPerS > best.mbs)) best = { id: run.matcher, mbs: m.mbPerS };
      }
      const wn = modeOf(find('warden normalise+match', lexicon), mode)?.mbPerS ?? null;
      const wm = modeOf(find('warden match alone', lexicon), mode)?.mbPerS ?? null;
      ratios.push({
        lexicon,
        mode,
        fastestPeer: best?.id ?? null,
        fastestPeerMBs: best?.mbs ?? null,
        wardenNormaliseMatchMBs: wn,
        wardenMatchAloneMBs: wm,
        normaliseMatchRatio: best && wn !== null ? Math.round((wn / best.mbs) * 100) / 100 : null,
        matchAloneRatio: best && wm !== null ? Math.round((wm / best.mbs) * 100) / 100 : null,
      });
    }
  }
  const headRatio = ratios.find((r) => r.lexicon === 'merged' && r.mode === 'chunks')?.normaliseMatchRatio ?? null;
  const compile = find('warden normalise+match', 'merged');
  const mb = compile && compile.heapDeltaMB !== undefined ? Math.max(compile.heapDeltaMB + (compile.externalDeltaMB ?? 0), compile.peakRssDeltaMB ?? 0) : null;
  const met = (v: number | null, ok: (x: number) => boolean): boolean | null => (v === null ? null : ok(v));
  const targets: MatchTargets = {
    normaliseMatchVsFastestPeer: { value: headRatio, target: 3, met: met(headRatio, (x) => x >= 3) },
    compileMergedMs: { value: compile?.buildColdMs ?? null, target: 1000, met: met(compile?.buildColdMs ?? null, (x) => x <= 1000) },
    compileMergedMB: {
      value: mb,
      target: 150,
      met: met(mb, (x) => x <= 150),
      measure: 'max(retained heap + external after build and GC, peak RSS growth during build)',
    },
  };
  const notes = Object.fromEntries(MATCHERS.filter((m) => input.matchers.includes(m.id)).map((m) => [m.id, m.note]));
  // Per-chunk counts served the cross-check; they would make the results file megabytes long.
  const slim = runs.map((r) => ({ ...r, modes: r.modes.map(({ chunkIndex: _i, chunkCounts: _c, ...m }) => m) }));
  return { ...input, runs: slim, checks, ratios, targets, notes };
}

// ---------------------------------------------------------------- markdown

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const mbs = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const ratio = (x: number | null): string => (x === null ? '—' : `${x.toFixed(2)}×`);
const nth = (k: number): string => `${k}${k % 100 >= 11 && k % 100 <= 13 ? 'th' : ['th', 'st', 'nd', 'rd'][k % 10] ?? 'th'}`;
const yes = (b: boolean | null): string => (b === null ? 'not measured' : b ? '**met**' : '**NOT met**');

const SHORT: Record<string, string> = {
  'warden normalise+match': 'warden n+m',
  'warden match alone': 'warden match',
  'aho-corasick': 'aho-corasick',
  'modern-ahocorasick': 'modern',
  'modern-ahocorasick/fast': 'modern/fast',
  'mint-filter': 'mint',
  fastscan: 'fastscan',
  '@monyone/aho-corasick': 'monyone',
  '@monyone/aho-corasick/fast': 'monyone/fast',
  'RegExp alternation': 'RegExp',
};

export function renderMatch(rep: MatchReport): string {
  const out: string[] = [];
  const foot: string[] = [];
  const cell = (run: LexiconRun, mode: ScanMode, f: (m: ModeRun) => string): string => {
    const m = run.modes.find((x) => x.mode === mode);
    if (!m) return run.error ? '—' : '';
    if (m.error) return 'error';
    if (m.full) return f(m);
    const size = `${(m.bytes / 1048576).toFixed(2)} MB`;
    const note =
      mode === 'chunks'
        ? `${run.matcher} × ${run.lexicon} chunks: every ${nth(m.stride)} chunk (${int(m.covered)} of ${int(m.total)}, ${size})`
        : `${run.matcher} × ${run.lexicon} string: ${m.prefixOfSample ? `the first ${size} of ` : ''}${m.stride > 1 ? `every ${nth(m.stride)} chunk concatenated` : 'the corpus'}${m.prefixOfSample ? '' : ` (${size})`}${m.superlinear ? `; cost grows ~${m.superlinear}× faster than linear per doubling of the text` : ''}`;
    if (!foot.includes(note) && !rep.individual.includes(run.lexicon)) foot.push(note);
    return `${f(m)}†`;
  };
  for (const lexicon of rep.headline) {
    const runs = rep.runs.filter((r) => r.lexicon === lexicon);
    const terms = runs.find((r) => r.terms > 0)?.terms ?? 0;
    const rc = rep.ratios.find((r) => r.lexicon === lexicon && r.mode === 'chunks');
    const rs = rep.ratios.find((r) => r.lexicon === lexicon && r.mode === 'string');
    out.push(`### Lexicon \`${lexicon}\` (${int(terms)} terms)`, '');
    out.push(
      '| matcher | build ms cold (warm) | retained MB heap+ext | RSS Δ MB (peak) | chunks MB/s | chunks M chars/s | chunk matches | string MB/s | string M chars/s | string matches | vs fastest peer (chunks / string) | counts |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
    );
    for (const run of runs) {
      if (run.error) {
        out.push(`| ${run.matcher} | ${run.error} | | | | | | | | | | |`);
        continue;
      }
      const c = run.modes.find((m) => m.mode === 'chunks' && !m.error);
      const s = run.modes.find((m) => m.mode === 'string' && !m.error);
      const vs = [c && rc?.fastestPeerMBs ? ratio(c.mbPerS / rc.fastestPeerMBs) : '—', s && rs?.fastestPeerMBs ? ratio(s.mbPerS / rs.fastestPeerMBs) : '—'].join(' / ');
      const counts = rep.checks
        .filter((k) => k.matcher === run.matcher && k.lexicon === lexicon && k.detail)
        .map((k) => `${k.mode}: ${k.detail}`)
        .join('; ');
      const errs = run.modes.filter((m) => m.error).map((m) => `${m.mode}: ${m.error}`);
      out.push(
        `| ${run.matcher} | ${run.buildColdMs?.toFixed(0)}${run.buildWarmMs !== undefined ? ` (${run.buildWarmMs.toFixed(0)})` : ''} | ${(run.heapDeltaMB! + run.externalDeltaMB!).toFixed(1)} | ${run.rssDeltaMB?.toFixed(0)}${run.peakRssDeltaMB != null ? ` (${run.peakRssDeltaMB.toFixed(0)})` : ''} | ` +
          `${cell(run, 'chunks', (m) => mbs(m.mbPerS))} | ${cell(run, 'chunks', (m) => mbs(m.mcharsPerS))} | ${cell(run, 'chunks', (m) => int(m.matches))} | ` +
          `${cell(run, 'string', (m) => mbs(m.mbPerS))} | ${cell(run, 'string', (m) => mbs(m.mcharsPerS))} | ${cell(run, 'string', (m) => int(m.matches))} | ${vs} | ${[counts, ...errs].filter(Boolean).join('; ')} |`,
      );
    }
    out.push('');
    if (rc)
      out.push(
        `Fastest npm peer: chunks **${rc.fastestPeer ?? '—'}** (${rc.fastestPeerMBs !== null ? mbs(rc.fastestPeerMBs) : '—'} MB/s), string **${rs?.fastestPeer ?? '—'}**. ` +
          `warden normalise+match ÷ fastest peer: **${ratio(rc.normaliseMatchRatio)}** on chunks, ${ratio(rs?.normaliseMatchRatio ?? null)} on the string; match alone: ${ratio(rc.matchAloneRatio)} / ${ratio(rs?.matchAloneRatio ?? null)}.`,
        '',
      );
  }
  if (rep.individual.length) {
    const ms = rep.matchers;
    const sample = rep.runs.find((r) => rep.individual.includes(r.lexicon) && r.modes[0]?.full === false && r.modes[0]?.stride === 8)?.modes[0];
    out.push(
      `### Individual lists (chunks only, MB/s, on every 8th chunk${sample ? `: ${int(sample.covered)} chunks, ${(sample.bytes / 1048576).toFixed(1)} MB` : ''})`,
      '',
      'A quick pass: one repetition may take 40 ms, so matchers too slow for that scan a sparser sample spread over the corpus (every k-th chunk, k ≥ 8; † — the exact sample per cell is in the JSON).',
      '',
    );
    out.push(`| list | terms | ${ms.map((m) => SHORT[m] ?? m).join(' | ')} | warden n+m ÷ fastest peer |`, `|---|---:|${ms.map(() => '---:').join('|')}|---:|`);
    for (const lexicon of rep.individual) {
      const runs = rep.runs.filter((r) => r.lexicon === lexicon);
      const terms = runs.find((r) => r.terms > 0)?.terms ?? 0;
      const cells = ms.map((m) => {
        const run = runs.find((r) => r.matcher === m);
        if (!run) return '';
        if (run.error) return run.error.startsWith('timed out') ? 'timed out' : 'failed';
        return cell(run, 'chunks', (x) => mbs(x.mbPerS));
      });
      const r = rep.ratios.find((x) => x.lexicon === lexicon && x.mode === 'chunks');
      out.push(`| ${lexicon} | ${int(terms)} | ${cells.join(' | ')} | ${ratio(r?.normaliseMatchRatio ?? null)} |`);
    }
    const bad = rep.checks.filter((k) => rep.individual.includes(k.lexicon) && k.status === 'DISAGREE');
    out.push('', bad.length ? `Count disagreements on individual lists: ${bad.map((k) => `${k.matcher} × ${k.lexicon} (${k.detail})`).join('; ')}` : 'Counts of every overlapping exact matcher agree with aho-corasick on every individual list (same chunks).', '');
  }
  if (foot.length)
    out.push(
      '† Not the full text: the matcher was too slow for the per-repetition budget, so it scanned a sample spread over the corpus (throughput is per byte scanned; match counts are for the sample):',
      '',
      ...foot.map((f) => `- ${f}`),
      '',
    );
  const t = rep.targets;
  out.push(
    '**Targets (merged lexicon, this run):**',
    '',
    `- normalise+match on 1-4 KB chunks ≥ 3× the fastest npm peer: ${ratio(t.normaliseMatchVsFastestPeer.value)} → ${yes(t.normaliseMatchVsFastestPeer.met)}`,
    `- compile ≤ 1 s: ${t.compileMergedMs.value?.toFixed(0) ?? '—'} ms (cold, in a fresh process) → ${yes(t.compileMergedMs.met)}`,
    `- compile ≤ 150 MB: ${t.compileMergedMB.value?.toFixed(0) ?? '—'} MB (${t.compileMergedMB.measure}) → ${yes(t.compileMergedMB.met)}`,
    '',
  );
  return out.join('\n');
}
