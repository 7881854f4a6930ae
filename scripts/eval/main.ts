/**
 * `npm run eval`: held-out quality of the served model (through onnxruntime, exactly as
 * served) and of the whole pipeline (keywords + model), plus the benign flag rate; writes
 * models/<name>/eval.json and regenerates the measured sections of MODEL_CARD.md.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Action } from '../../src/decide/types.js';
import { DEFAULT_MODEL_DIR, loadClassifier } from '../../src/classifier/index.js';
import type { FastTextClassifier } from '../../src/classifier/fasttextClassifier.js';
import type { Classifier } from '../../src/classifier/types.js';
import { createModerator } from '../../src/index.js';
import { normalizeForModel } from '../../src/normalize/index.js';
import { readBenignCorpus } from '../train/corpus.js';
import { readAllDatasets } from '../train/datasets.js';
import { categoryLabels, MODEL_CATEGORIES } from '../train/labelMapping.js';
import { corpusDir, dataDir } from '../train/paths.js';
import { prepareExamples } from '../train/prepare.js';
import { writeModelCard } from './modelCard.js';
import { categoryTable, datasetReport, type Scored } from './report.js';

const { values: args } = parseArgs({
  options: { data: { type: 'string' }, corpus: { type: 'string' }, model: { type: 'string' }, 'no-pipeline': { type: 'boolean', default: false } },
});
const modelDir = args.model ?? DEFAULT_MODEL_DIR;
/** Short benign texts the original model absurdly flagged or blocked (also checked by test/classifier/rules.test.ts). */
const SHORT_BENIGN_TEXTS = [
  '你好', '您好', '谢谢', '好的', '早上好', '晚安', '哈哈哈', '在吗', '收到', '没问题', '今天天气不错', '我到家了',
  'Hello', 'Hi!', 'Thanks', 'OK', 'All:', 'Good morning', 'See you tomorrow', 'First Citizen:', 'Yes, sir.', 'lol', 'How are you?',
] as const;
const categories = [...MODEL_CATEGORIES];
const CHUNK = 64;

async function inChunks<T, R>(items: readonly T[], f: (chunk: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(...(await f(items.slice(i, i + CHUNK))));
  return out;
}

const classifier = (await loadClassifier({ modelDir })) as Classifier & Partial<Pick<FastTextClassifier, 'config'>>;
const { examples } = prepareExamples(readAllDatasets(dataDir(args.data)), classifier.config!.featurizer);
const heldout = examples.filter((e) => e.split === 'heldout');
console.log(`held-out examples: ${heldout.length}`);

// Model alone.
const modelScores = await inChunks(heldout, (chunk) => classifier.classify(chunk.map((e) => ({ raw: e.raw, normalized: e.normalized }))));
const modelRows: Scored[] = heldout.map((e, i) => {
  const byCat = new Map(modelScores[i]!.map((s) => [s.category, s]));
  return {
    dataset: e.dataset, lang: e.lang, original: e.original, labels: categoryLabels(e.labels),
    scores: categories.map((c) => byCat.get(c)?.score ?? 0),
    actions: categories.map((c) => byCat.get(c)?.action ?? 'allow'),
  };
});
const report: Record<string, unknown> = {
  model: classifier.name,
  split: 'heldout: COLD dev.csv + a 10% hash split of SWSR, Davidson, OLID, TweetEval-hate, SMS spam',
  modelAlone: { datasets: datasetReport(modelRows, categories), categories: categoryTable(modelRows, categories) },
};

// Benign flag rate (model alone), on corpus lines never used for training.
const benign = readBenignCorpus(corpusDir(args.corpus)).filter((l) => l.use === 'measure');
const benignModel = await inChunks(benign, (chunk) => classifier.classify(chunk.map((l) => ({ raw: l.text, normalized: normalizeForModel(l.text) }))));
const rateByPart = (flagged: boolean[]): Record<string, { n: number; flagRate: number }> => {
  const out: Record<string, { n: number; flagRate: number }> = {};
  const parts = [...new Set(benign.map((l) => l.part)), 'all'];
  for (const part of parts) {
    const idx = benign.map((l, i) => (part === 'all' || l.part === part ? i : -1)).filter((i) => i >= 0);
    out[part] = { n: idx.length, flagRate: Math.round((idx.filter((i) => flagged[i]).length / idx.length) * 10000) / 10000 };
  }
  return out;
};
report['benignModelAlone'] = rateByPart(benignModel.map((s) => s.some((x) => x.action !== 'allow')));

// Whole pipeline: keywords + model, classify "auto", a generous time budget (quality, not latency).
if (!args['no-pipeline']) {
  const moderator = await createModerator({ classifier, modelTimeoutMs: 10_000 });
  const moderate = async (texts: string[]) => (await moderator.moderate(texts, { classify: 'auto' })).results;
  const pipeline = await inChunks(heldout.map((e) => e.raw), moderate);
  const pipelineRows: Scored[] = heldout.map((_, i) => {
    const verdicts = new Map(pipeline[i]!.categories.map((c) => [c.id, c]));
    return {
      ...modelRows[i]!,
      actions: categories.map((c): Action => verdicts.get(c)?.verdict ?? 'allow'),
    };
  });
  const anyVerdict = (d: string, positive: (original: string) => boolean) => {
    const idx = heldout.map((e, i) => (e.dataset === d ? i : -1)).filter((i) => i >= 0);
    const correct = idx.filter((i) => (pipeline[i]!.verdict !== 'allow') === positive(heldout[i]!.original)).length;
    return { n: idx.length, accuracyAnyVerdict: Math.round((correct / idx.length) * 10000) / 10000 };
  };
  report['pipeline'] = {
    datasets: datasetReport(pipelineRows, categories),
    categories: categoryTable(pipelineRows, categories),
    anyCategory: {
      cold: anyVerdict('cold', (o) => o.endsWith(':1')),
      olid: anyVerdict('olid', (o) => o === 'OFF'),
      davidsonOffensiveOrHate: anyVerdict('davidson-hate-offensive', (o) => o !== '2'),
    },
  };
  const benignPipeline = await inChunks(benign.map((l) => l.text), moderate);
  report['benignPipeline'] = rateByPart(benignPipeline.map((r) => r.verdict !== 'allow'));
  // What the keyword tables alone flag on the same lines (the floor the model cannot lower).
  const keywordsOnly = await inChunks(benign.map((l) => l.text), async (texts) => (await moderator.moderate(texts, { classify: 'never' })).results);
  report['benignKeywordsOnly'] = rateByPart(keywordsOnly.map((r) => r.verdict !== 'allow'));
  report['benignPipelineDegraded'] = benignPipeline.filter((r) => r.degraded).length;
}
// Short generic texts (greetings, acknowledgements, speaker tags): the model alone must not flag any.
const shortTexts = [...SHORT_BENIGN_TEXTS];
const shortScores = await classifier.classify(shortTexts.map((t) => ({ raw: t, normalized: normalizeForModel(t) })));
report['shortBenign'] = {
  n: shortTexts.length,
  flagged: shortScores.flatMap((r, i) => r.filter((x) => x.action !== 'allow').map((x) => ({ text: shortTexts[i], category: x.category, action: x.action, score: x.score }))),
};
await classifier.close();

writeFileSync(join(modelDir, 'eval.json'), JSON.stringify(report, null, 2) + '\n');
writeModelCard(modelDir, report);
console.log(JSON.stringify({ modelAlone: (report['modelAlone'] as { datasets: unknown }).datasets, benignModel: report['benignModelAlone'], benignPipeline: report['benignPipeline'] }, null, 1));
