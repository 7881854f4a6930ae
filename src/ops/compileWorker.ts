/**
 * Compiling keyword tables on a worker thread, so that a hot reload of a
 * large lexicon (up to ~1 s of CPU for 50k terms) never stalls requests:
 * the worker loads, normalises and compiles; the typed arrays of the result
 * are *transferred* (not copied) back, and the serving thread only swaps a
 * reference. Requests keep running on the old tables throughout.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { LexiconFile } from '../lexicon/load.js';
import { compileKeywords, type KeywordState } from '../match/compile.js';
import { KeywordTables, type KeywordTablesParts } from '../match/keywords.js';
import { loadTaxonomy } from '../taxonomy/taxonomy.js';

interface Job {
  readonly dirs: readonly string[];
  readonly maxMatches?: number;
}

type Reply =
  | { ok: true; parts: KeywordTablesParts; version: string; files: readonly LexiconFile[]; dirs: readonly string[] }
  | { ok: false; message: string };

function buffersOf(parts: KeywordTablesParts): ArrayBuffer[] {
  const views = [...Object.values(parts.automaton), parts.leftBoundary, parts.rightBoundary] as ArrayBufferView[];
  return [...new Set(views.map((v) => v.buffer as ArrayBuffer))];
}

// Running as the worker: compile and reply once.
if (!isMainThread && parentPort && (workerData as { wardenCompileJob?: Job } | null)?.wardenCompileJob) {
  const job = (workerData as { wardenCompileJob: Job }).wardenCompileJob;
  let reply: Reply;
  let transfer: ArrayBuffer[] = [];
  try {
    const state = compileKeywords(job.dirs, loadTaxonomy(), job.maxMatches);
    const parts = state.tables.toParts();
    reply = { ok: true, parts, version: state.version, files: state.files, dirs: state.dirs };
    transfer = buffersOf(parts);
  } catch (e) {
    reply = { ok: false, message: (e as Error).message };
  }
  parentPort.postMessage(reply, transfer);
}

/** Compiles lexicon directories on a worker thread; rejects with the lexicon error (`file:line: …`). */
export function compileKeywordsOffThread(dirs: readonly string[], maxMatches?: number): Promise<KeywordState> {
  const workerData = { wardenCompileJob: { dirs, maxMatches } satisfies Job };
  // Under the test runner this module is TypeScript source: the worker registers tsx's loader first.
  const worker = import.meta.url.endsWith('.ts')
    ? new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(import.meta.url)}); })`, { eval: true, workerData })
    : new Worker(new URL(import.meta.url), { workerData });
  return new Promise<KeywordState>((resolve, reject) => {
    worker.once('message', (reply: Reply) => {
      void worker.terminate();
      if (!reply.ok) return reject(new Error(reply.message));
      resolve({ tables: KeywordTables.fromParts(reply.parts), version: reply.version, files: reply.files, dirs: reply.dirs });
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`lexicon compile worker exited with code ${code}`)));
  });
}
