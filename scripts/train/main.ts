/**
 * `npm run train`: datasets -> warden labels -> dedupe/split -> featurise -> train -> pick the
 * best epoch on `calib` -> int8 export -> thresholds on `calib` -> models/<name>/.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_FEATURIZER, type FeaturizerSettings } from '../../src/classifier/featurize.js';
import { forward, quantizeEmbedding, type FastTextWeights } from '../../src/classifier/fasttextWeights.js';
import type { Thresholds } from '../../src/classifier/modelConfig.js';
import { actionFor } from '../../src/classifier/thresholds.js';
import { averagePrecision, thresholdForBestF1, thresholdForPrecision } from '../eval/metrics.js';
import { categoryTable, datasetReport, type Scored } from '../eval/report.js';
import { readBenignCorpus } from './corpus.js';
import { DATASETS, readAllDatasets, type RawRow } from './datasets.js';
import { exportModel } from './exportModel.js';
import { MODEL_CATEGORIES, mapBenign } from './labelMapping.js';
import { prepareExamples, trainingIds, type Example } from './prepare.js';
import { normalizeForModel } from '../../src/normalize/index.js';

/** Scored at export by the TypeScript forward pass; tests check the ONNX model gives the same. */
const SELF_CHECK_TEXTS = [
  '你们河南人都是骗子',
  '女人就该在家带孩子',
  '这家外卖很好吃，送得也快',
  'Congratulations! You have won a FREE prize, call 08001234567 now',
  'you are a stupid bitch',
  'the weather is lovely today',
];
import { mulberry32, shuffle } from './prng.js';
import { corpusDir, dataDir, DEFAULT_MODEL_NAME, REPO_ROOT } from './paths.js';
import { initWeights, train, type TrainConfig } from './trainer.js';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string' },
    corpus: { type: 'string' },
    out: { type: 'string' },
    name: { type: 'string', default: DEFAULT_MODEL_NAME },
    seed: { type: 'string', default: '20240601' },
    epochs: { type: 'string', default: '3' },
    dim: { type: 'string', default: '48' },
    hidden: { type: 'string', default: '64' },
    buckets: { type: 'string', default: String(DEFAULT_FEATURIZER.buckets) },
    lr: { type: 'string', default: '0.002' },
    'emb-lr': { type: 'string', default: '0.005' },
    batch: { type: 'string', default: '32' },
    dropout: { type: 'string', default: '0.4' },
    'benign-negatives': { type: 'string', default: '20000' },
    'flag-precision': { type: 'string', default: '0.7' },
    'block-precision': { type: 'string', default: '0.95' },
    'no-export': { type: 'boolean', default: false },
  },
});

const started = performance.now();
const log = (msg: string): void => console.log(`[${((performance.now() - started) / 1000).toFixed(1)}s] ${msg}`);
const seed = Number(args.seed);
const featurizer: FeaturizerSettings = { ...DEFAULT_FEATURIZER, buckets: Number(args.buckets) };
const labels = [...MODEL_CATEGORIES];

// 1. Data.
const rows: RawRow[] = readAllDatasets(dataDir(args.data));
const benignWanted = Number(args['benign-negatives']);
const benign = shuffle(
  readBenignCorpus(corpusDir(args.corpus)).filter((l) => l.use === 'train'),
  mulberry32(seed),
).slice(0, benignWanted);
for (const line of benign) rows.push({ dataset: 'corpus-benign', lang: 'zh', text: line.text, labels: mapBenign(), original: 'benign' });
log(`read ${rows.length} rows (${benign.length} benign corpus negatives)`);
const { examples, stats } = prepareExamples(rows, featurizer);
const bySplit = (s: Example['split']): Example[] => examples.filter((e) => e.split === s);
const trainSet = bySplit('train');
const calib = bySplit('calib');
const heldout = bySplit('heldout');
log(`examples: train ${trainSet.length}, calib ${calib.length}, heldout ${heldout.length}; ${stats.duplicatesMerged} duplicates merged`);

// 2. Train, keeping the epoch with the best mean AUPRC on calib.
const positives = labels.map((_, c) => trainSet.filter((e) => e.labels[c] === 1).length);
const negatives = labels.map((_, c) => trainSet.filter((e) => e.labels[c] === 0).length);
const config: TrainConfig = {
  dim: Number(args.dim),
  hidden: Number(args.hidden),
  epochs: Number(args.epochs),
  batchSize: Number(args.batch),
  lr: Number(args.lr),
  embeddingLr: Number(args['emb-lr']),
  seed,
  // Up-weight rare positives, at most 4x, so small categories are not drowned.
  positiveWeight: labels.map((_, c) => Math.min(4, Math.max(1, Math.sqrt(negatives[c]! / Math.max(1, positives[c]!))))),
  idDropout: Number(args.dropout),
};
log(`config ${JSON.stringify(config)}`);
const weights = initWeights(featurizer.buckets, labels.length, config);

const scoreAll = (w: FastTextWeights, set: readonly Example[]): Float64Array[] => set.map((e) => forward(w, e.ids));
const meanAuprc = (scores: Float64Array[], set: readonly Example[]): number[] =>
  labels.map((_, c) => {
    const idx = set.map((e, i) => (e.labels[c]! >= 0 ? i : -1)).filter((i) => i >= 0);
    return averagePrecision(idx.map((i) => scores[i]![c]!), idx.map((i) => set[i]!.labels[c]!));
  });

let best = { epoch: 0, auprc: -1, snapshot: null as null | { emb: Float32Array; w1: Float32Array; b1: Float32Array; w2: Float32Array; b2: Float32Array } };
train(trainSet, weights, config, (epoch, loss) => {
  const ap = meanAuprc(scoreAll(weights, calib), calib);
  const mean = ap.reduce((a, b) => a + b, 0) / ap.length;
  log(`epoch ${epoch}: train loss ${loss.toFixed(4)}, calib AUPRC ${ap.map((x) => x.toFixed(3)).join(' ')} mean ${mean.toFixed(4)}`);
  if (mean > best.auprc) {
    best = {
      epoch,
      auprc: mean,
      snapshot: { emb: weights.embedding.data.slice(), w1: weights.w1.slice(), b1: weights.b1.slice(), w2: weights.w2.slice(), b2: weights.b2.slice() },
    };
  }
});
const snap = best.snapshot!;
const trained: FastTextWeights = { ...weights, embedding: { kind: 'float32', data: snap.emb }, w1: snap.w1, b1: snap.b1, w2: snap.w2, b2: snap.b2 };
log(`best epoch ${best.epoch} (calib mean AUPRC ${best.auprc.toFixed(4)})`);

// 3. Quantise and choose thresholds on calib with the weights that will be served.
const served: FastTextWeights = { ...trained, embedding: quantizeEmbedding(snap.emb, trained.vocab, trained.dim) };
const calibScores = scoreAll(served, calib);
const thresholds: Record<string, Thresholds> = {};
labels.forEach((cat, c) => {
  const idx = calib.map((e, i) => (e.labels[c]! >= 0 ? i : -1)).filter((i) => i >= 0);
  const s = idx.map((i) => calibScores[i]![c]!);
  const y = idx.map((i) => calib[i]!.labels[c]!);
  const flag = thresholdForBestF1(s, y, Number(args['flag-precision']));
  const block = Math.max(flag, thresholdForPrecision(s, y, Number(args['block-precision'])));
  thresholds[cat] = { flag: Math.round(flag * 1e4) / 1e4, block: Math.round(block * 1e4) / 1e4 };
});
log(`thresholds ${JSON.stringify(thresholds)}`);

// 4. Held-out quality of the served weights (TypeScript forward; npm run eval re-measures through ONNX).
const toScored = (set: readonly Example[], scores: Float64Array[]): Scored[] =>
  set.map((e, i) => ({
    dataset: e.dataset,
    lang: e.lang,
    original: e.original,
    labels: e.labels,
    scores: scores[i]!,
    actions: labels.map((cat, c) => actionFor(scores[i]![c]!, thresholds[cat]!)),
  }));
const heldScored = toScored(heldout, scoreAll(served, heldout));
const floatHeld = toScored(heldout, scoreAll(trained, heldout));
const metrics = {
  split: 'heldout (COLD dev.csv; 10% hash split of the other datasets)',
  datasets: datasetReport(heldScored, labels),
  categories: categoryTable(heldScored, labels),
  float32Reference: { datasets: datasetReport(floatHeld, labels) },
};
console.log(JSON.stringify(metrics.datasets, null, 1));
const trainingSeconds = (performance.now() - started) / 1000;
log(`training done in ${trainingSeconds.toFixed(1)}s`);

if (!args['no-export']) {
  const outDir = args.out ?? join(REPO_ROOT, 'models', args.name);
  exportModel({
    outDir,
    name: args.name,
    labels,
    featurizer,
    weights: served,
    thresholds,
    training: {
      command: 'npm run train',
      seed,
      config,
      bestEpoch: best.epoch,
      seconds: Math.round(trainingSeconds),
      examples: { train: trainSet.length, calib: calib.length, heldout: heldout.length, duplicatesMerged: stats.duplicatesMerged },
      datasets: DATASETS,
      benignNegatives: { source: '../shared/corpus Chinese review parts, hash-half "train"', count: benign.length },
      thresholdRule: `flag: best F1 on calib among thresholds with precision >= ${args['flag-precision']}; block: precision >= ${args['block-precision']} (above 1 = never)`,
      weights: 'embedding int8 per-row symmetric; dense layers float32',
    },
    metrics,
    selfCheck: SELF_CHECK_TEXTS.map((text) => ({
      text,
      scores: Array.from(forward(served, trainingIds(normalizeForModel(text), featurizer))),
    })),
  });
  log(`wrote ${outDir}`);
}
