/**
 * Model cost benchmark: load time, 1 KB text latency at batch 1 (median and p99 over many
 * runs), file size, resident-memory growth. Writes models/<name>/bench.json for the model card.
 * Usage: npx tsx bench/model/bench.ts [--model DIR] [--runs N]
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_MODEL_DIR, loadClassifier } from '../../src/classifier/index.js';
import { normalizeForModel } from '../../src/normalize/index.js';
import { corpusDir } from '../../scripts/train/paths.js';

const { values: args } = parseArgs({ options: { model: { type: 'string' }, runs: { type: 'string', default: '3000' }, corpus: { type: 'string' } } });
const modelDir = args.model ?? DEFAULT_MODEL_DIR;
const runs = Number(args.runs);

/** About 1 KB (UTF-8) of text cut from the benign corpus: one Chinese and one English sample. */
function oneKb(predicate: (line: string) => boolean): string {
  const lines = readFileSync(join(corpusDir(args.corpus), 'corpus.txt'), 'utf8').split('\n').filter(predicate);
  let text = '';
  for (const l of lines) {
    if (Buffer.byteLength(text + l) > 1024) break;
    text += l + '\n';
  }
  while (Buffer.byteLength(text) > 1024) text = text.slice(0, -1);
  return text;
}
const samples = {
  zh: oneKb((l) => /[\u4e00-\u9fff]/.test(l) && !/[a-z]{4}/i.test(l) && l.length < 200),
  en: oneKb((l) => /^[A-Z][a-z ,.']+[a-z.,]$/.test(l)),
};

const percentile = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;

global.gc?.();
const rssBefore = process.memoryUsage().rss;
const t0 = performance.now();
// maxWaitMs 0: measure the model, not the micro-batching window the server adds under concurrency.
const classifier = await loadClassifier({ modelDir, maxWaitMs: 0 });
const loadMs = performance.now() - t0;
const rssLoaded = process.memoryUsage().rss;

const result: Record<string, number | string> = {
  fileMB: Math.round((statSync(join(modelDir, 'model.onnx')).size / 2 ** 20) * 100) / 100,
  loadMs: Math.round(loadMs * 10) / 10,
};
for (const [lang, raw] of Object.entries(samples)) {
  const normalized = normalizeForModel(raw);
  const input = [{ raw, normalized }];
  for (let i = 0; i < 200; i++) await classifier.classify(input);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    await classifier.classify(input);
    times.push(performance.now() - s);
  }
  result[`bytes_${lang}`] = Buffer.byteLength(raw);
  result[`median1KbMs_${lang}`] = Math.round(percentile(times, 0.5) * 1000) / 1000;
  result[`p99_1KbMs_${lang}`] = Math.round(percentile(times, 0.99) * 1000) / 1000;
}
result['rssGrowthMB'] = Math.round(((process.memoryUsage().rss - rssBefore) / 2 ** 20) * 10) / 10;
result['rssGrowthAtLoadMB'] = Math.round(((rssLoaded - rssBefore) / 2 ** 20) * 10) / 10;
await classifier.close();
writeFileSync(join(modelDir, 'bench.json'), JSON.stringify(result, null, 2) + '\n');
console.log(JSON.stringify(result, null, 1));
