import type { LexiconSpec } from '../lib/data.js';

export type ScanMode = 'chunks' | 'string';

export interface MatchJob {
  readonly matcher: string;
  readonly shared: string;
  readonly lexicons: LexiconSpec[];
  readonly modes: ScanMode[];
  /** Scan every `chunkStride`-th chunk (1: all 9,803). */
  readonly chunkStride: number;
  /** Time budget of one measured repetition, ms: slower matchers scan a prefix that fits it. */
  readonly repBudgetMs: number;
  /** Minimum measured repetitions (more when a pass is cheap, up to maxReps). */
  readonly reps: number;
  readonly maxReps: number;
  /** Warm (repeat) builds when the cold one is quicker than this, ms. */
  readonly rebuildBelowMs: number;
}

export interface ModeRun {
  readonly mode: ScanMode;
  /** Chunks scanned (chunks mode) or UTF-16 units (string mode), and the total available. */
  readonly covered: number;
  readonly total: number;
  readonly full: boolean;
  /** Every `stride`-th chunk was selected (1: all); the string is those chunks concatenated. */
  readonly stride: number;
  /** String mode: only a prefix of the concatenated selection fitted the budget. */
  readonly prefixOfSample?: boolean;
  /** String mode: observed cost growth per doubling beyond linear (e.g. 2 ≈ quadratic), when > 1.3. */
  readonly superlinear?: number;
  readonly bytes: number;
  readonly chars: number;
  readonly repsMs: number[];
  readonly medianMs: number;
  /** (q3 - q1) / median of the repetitions. */
  readonly spread: number;
  readonly mbPerS: number;
  readonly mcharsPerS: number;
  readonly matches: number;
  /** Chunks mode: the chunk indices scanned and the matches in each, for the cross-check on common chunks. */
  readonly chunkIndex?: number[];
  readonly chunkCounts?: number[];
  readonly error?: string;
}

export interface LexiconRun {
  readonly matcher: string;
  readonly lexicon: string;
  readonly terms: number;
  readonly patterns?: number;
  readonly buildColdMs?: number;
  readonly buildWarmMs?: number;
  readonly builds?: number;
  /** Retained after build and a full GC: V8 heap, external (typed arrays), RSS; MB. */
  readonly heapDeltaMB?: number;
  readonly externalDeltaMB?: number;
  readonly rssDeltaMB?: number;
  /** Peak RSS growth during the build, MB (null when the process peak was reached earlier). */
  readonly peakRssDeltaMB?: number | null;
  readonly modes: ModeRun[];
  readonly error?: string;
}

export type ChildMessage = { type: 'built'; lexicon: string } | { type: 'run'; run: LexiconRun } | { type: 'done' };
