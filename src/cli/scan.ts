/**
 * `warden scan`: offline screening of a training corpus (TC260-003 §9.2
 * asks for keyword checks of corpora). Streams the file, so its size is
 * bounded only by the disk; writes one JSON verdict per input line and a
 * summary (counts per verdict and category) on stderr.
 */
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';
import { once } from 'node:events';
import cliProgress from 'cli-progress';
import type { ModerateOptions, Moderator } from '../moderate.js';
import type { Verdict } from '../decide/types.js';

export interface ScanOptions {
  readonly out?: string;
  readonly onlyHits?: boolean;
  readonly moderate?: ModerateOptions;
  /** Where the summary and progress go (default stderr). */
  readonly log?: NodeJS.WriteStream;
}

export interface ScanSummary {
  lines: number;
  errors: number;
  verdicts: Record<Verdict, number>;
  categories: Record<string, number>;
}

const BATCH = 64;

/** The text of one input line: JSONL `{"text": ...}` or the plain line itself. */
export function textOfLine(line: string): { text: string } | { error: string } {
  const trimmed = line.trimStart();
  if (!trimmed.startsWith('{')) return { text: line };
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (e) {
    return { error: `invalid JSON: ${(e as Error).message}` };
  }
  if (typeof parsed === 'object' && parsed !== null && typeof (parsed as { text?: unknown }).text === 'string') {
    return { text: (parsed as { text: string }).text };
  }
  return { error: 'JSON line has no string "text" field' };
}

async function write(out: Writable, chunk: string): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

export async function scanFile(moderator: Moderator, path: string, options: ScanOptions = {}): Promise<ScanSummary> {
  const size = statSync(path).size;
  const log = options.log ?? process.stderr;
  const out: Writable = options.out ? createWriteStream(options.out) : process.stdout;
  const summary: ScanSummary = { lines: 0, errors: 0, verdicts: { allow: 0, flag: 0, block: 0 }, categories: {} };
  const bar = log.isTTY
    ? new cliProgress.SingleBar(
        { stream: log, format: 'scan [{bar}] {percentage}% | {value}/{total} bytes | {lines} lines | {eta_formatted} left' },
        cliProgress.Presets.shades_classic,
      )
    : null;
  bar?.start(size, 0, { lines: 0 });

  const input = createReadStream(path);
  const lines = createInterface({ input, crlfDelay: Infinity });
  // Unreadable lines wait in the batch too, so that the output keeps the input's order.
  let pending: ({ line: number; text: string } | { line: number; error: string })[] = [];
  let lineNo = 0;

  const flush = async (): Promise<void> => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    const texts = batch.flatMap((b) => ('text' in b ? [b.text] : []));
    const { results } = await moderator.moderate(texts, options.moderate);
    let chunk = '';
    let next = 0;
    for (const item of batch) {
      if ('error' in item) {
        chunk += JSON.stringify(item) + '\n';
        continue;
      }
      const result = results[next++]!;
      summary.verdicts[result.verdict]++;
      for (const c of result.categories) summary.categories[c.id] = (summary.categories[c.id] ?? 0) + 1;
      if (options.onlyHits && result.verdict === 'allow') continue;
      chunk += JSON.stringify({ line: item.line, ...result }) + '\n';
    }
    await write(out, chunk);
    bar?.update(input.bytesRead, { lines: summary.lines });
  };

  for await (const line of lines) {
    lineNo++;
    if (line.trim() === '') continue;
    summary.lines++;
    const parsed = textOfLine(line);
    if ('error' in parsed) summary.errors++;
    pending.push({ line: lineNo, ...parsed });
    if (pending.length >= BATCH) await flush();
  }
  await flush();
  bar?.update(size, { lines: summary.lines });
  bar?.stop();
  if (options.out) {
    out.end();
    await once(out, 'finish');
  }

  const categories = Object.entries(summary.categories).sort((a, b) => b[1] - a[1]);
  log.write(
    `scanned ${summary.lines} texts: ${summary.verdicts.block} block, ${summary.verdicts.flag} flag, ${summary.verdicts.allow} allow` +
      (summary.errors ? `, ${summary.errors} unreadable lines` : '') +
      '\n' +
      categories.map(([id, n]) => `  ${id}: ${n}\n`).join(''),
  );
  return summary;
}
