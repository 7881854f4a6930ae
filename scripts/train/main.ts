/**
 * `npm run train`: datasets -> warden labels -> dedupe/split -> featurise -> train -> pick the
 * best epoch on `calib` -> int8 export -> thresholds on `calib` -> models/<name>/.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_FEATURIZER, type FeaturizerSettings } from '../../src/classifier/featurize.js';
import { forward, quantizeEmbedding, type FastTextWeights } from '../../src/classifier/fasttextWeights.js';
import type { Thresholds } from '../../src/classifier/modelConfig.js';
import { profileText, type ModelLanguage } from '../../src/classifier/evidence.js';
import { decideLabels, type DecisionRules } from '../../src/classifier/scoring.js';
import { averagePrecision, thresholdForBenignCap, thresholdForBestF1, thresholdForBestMacroF1, thresholdForPrecision } from '../eval/metrics.js';
import { categoryTable, datasetReport, type Scored } from '../eval/report.js';
import { readBenignCorpus, shortFragments, trainingDocuments } from './corpus.js';
import { DATASETS, readAllDatasets, type RawRow } from './datasets.js';
import { exportModel } from './exportModel.js';
import { categoryLabels, MODEL_CATEGORIES, MODEL_HEADS, mapBenign } from './labelMapping.js';
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
    epochs: { type: 'string', default: '5' },
    dim: { type: 'string', default: '48' },
    hidden: { type: 'string', default: '64' },
    buckets: { type: 'string', default: String(DEFAULT_FEATURIZER.buckets) },
    lr: { type: 'string', default: '0.002' },
    'emb-lr': { type: 'string', default: '0.005' },
    batch: { type: 'string', default: '32' },
    dropout: { type: 'string', default: '0.5' },
    'no-lr-decay': { type: 'boolean', default: false },
    'benign-zh': { type: 'string', default: '30000' },
    'benign-en': { type: 'string', default: '12000' },
    'benign-short': { type: 'string', default: '15000' },
    'latin-max-n': { type: 'string', default: '4' },
    'flag-precision-zh': { type: 'string', default: '0.7' },
    'flag-precision-en': { type: 'string', default: '0.4' },
    /** Flag thresholds maximise positive-class F1 (f1) or macro-F1 (macro), per language. */
    'flag-objective-zh': { type: 'string', default: 'f1' },
    'flag-objective-en': { type: 'string', default: 'macro' },
    'block-precision': { type: 'string', default: '0.9' },
    'benign-cap-zh': { type: 'string', default: '0.003' },
    'benign-cap-en': { type: 'string', default: '0.01' },
    'min-evidence-units': { type: 'string', default: '4' },
    'min-evidence-flag': { type: 'string', default: '0.999' },
    'no-export': { type: 'boolean', default: false },
  },
});

const started = performance.now();
const log = (msg: string): void => console.log(`[${((performance.now() - started) / 1000).toFixed(1)}s] ${msg}`);
const seed = Number(args.seed);
const featurizer: FeaturizerSettings = { ...DEFAULT_FEATURIZER, buckets: Number(args.buckets), latinCharMaxN: Number(args['latin-max-n']) };
/** The network's outputs (heads); categories are what the model reports. */
const labels: string[] = MODEL_HEADS.map((h) => h.name);
const categories: string[] = [...MODEL_CATEGORIES];

// 1. Data.
const rows: RawRow[] = readAllDatasets(dataDir(args.data));
// Benign negatives: the 'train' hash-half of the benign corpus parts (the other half only measures).
const benignDocs = readBenignCorpus(corpusDir(args.corpus))
  .filter((l) => l.use === 'train')
  .flatMap((l) => trainingDocuments(l).map((d) => ({ ...d, part: l.part })));
const benignRandom = mulberry32(seed);
const pick = <T>(items: T[], n: number): T[] => shuffle(items, benignRandom).slice(0, n);
const benignZh = pick(benignDocs.filter((d) => d.lang === 'zh'), Number(args['benign-zh']));
const benignEn = pick(benignDocs.filter((d) => d.lang === 'en'), Number(args['benign-en']));
const fragments = pick(
  [...new Set(benignDocs.flatMap((d) => shortFragments(d.text)))].map((text) => ({ text, lang: profileText(text).lang })),
  Number(args['benign-short']),
);
const benign = [...benignZh, ...benignEn, ...fragments];
for (const doc of benign) rows.push({ dataset: 'corpus-benign', lang: doc.lang, text: doc.text, labels: mapBenign(), original: 'benign' });
const benignCounts = { zh: benignZh.length, en: benignEn.length, shortFragments: fragments.length };
log(`read ${rows.length} rows (benign corpus negatives ${JSON.stringify(benignCounts)})`);
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
  lrDecay: !args['no-lr-decay'],
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
const calibProfile = calib.map((e) => profileText(e.normalized));
const calibLang = calibProfile.map((p) => p.lang);
const minEvidence = { units: Number(args['min-evidence-units']), flag: Number(args['min-evidence-flag']) };
const round4 = (x: number): number => Math.min(1.0001, Math.ceil(x * 1e4) / 1e4); // up, never below a cap
const NEVER = 1.0001;
const flagPrecision = { zh: Number(args['flag-precision-zh']), en: Number(args['flag-precision-en']) };
const blockPrecision = Number(args['block-precision']);
const benignCap = { zh: Number(args['benign-cap-zh']), en: Number(args['benign-cap-en']) };
/**
 * Per head (and per language): flag = best F1 (or macro-F1) among thresholds with precision >= flagPrecision on
 * the calib rows of the datasets that define the head; block = the lowest threshold with precision >= blockPrecision; both raised, if
 * needed, so that at most `benignCap` of the benign corpus calib rows (training half, not trained on) of
 * that language reach them. A language without positive training rows for a category never flags it.
 */
function chooseThresholds(c: number, lang: ModelLanguage | 'all'): Thresholds | null {
  const inLang = (i: number): boolean => lang === 'all' || calibLang[i] === lang;
  // Tuned on the datasets that define the head (those with positives for it); the benign cap guards the rest.
  const owners = new Set(trainSet.filter((e) => e.labels[c] === 1).map((e) => e.dataset));
  const idx = calib.map((e, i) => (e.labels[c]! >= 0 && owners.has(e.dataset) && inLang(i) ? i : -1)).filter((i) => i >= 0);
  const s = idx.map((i) => calibScores[i]![c]!);
  const y = idx.map((i) => calib[i]!.labels[c]!);
  const positives = y.filter((v) => v === 1).length;
  const trainPositives = trainSet.filter((e) => e.labels[c] === 1 && (lang === 'all' || e.lang === lang)).length;
  if (trainPositives < 50 || positives < 10) return lang === 'all' ? { flag: NEVER, block: NEVER } : null;
  // Thin texts (below minEvidence.units) are governed by the minimum-evidence bar, not by these thresholds.
  const benignScores = calib.flatMap((e, i) =>
    e.dataset === 'corpus-benign' && inLang(i) && calibProfile[i]!.units >= minEvidence.units ? [calibScores[i]![c]!] : [],
  );
  const cap = benignScores.length > 0 ? thresholdForBenignCap(benignScores, lang === 'all' ? Math.min(benignCap.zh, benignCap.en) : benignCap[lang]) : 0;
  const floor = lang === 'all' ? Math.min(flagPrecision.zh, flagPrecision.en) : flagPrecision[lang];
  const objective = lang === 'all' ? 'f1' : args[`flag-objective-${lang}`];
  const best = objective === 'macro' ? thresholdForBestMacroF1(s, y, floor) : thresholdForBestF1(s, y, floor);
  const flag = Math.max(best, cap);
  // Block precision is measured on every supervised calib row of the language (other datasets and benign lines
  // included), not only the defining datasets: a block should hold up on text unlike the head's own dataset.
  const allIdx = calib.map((e, i) => (e.labels[c]! >= 0 && inLang(i) ? i : -1)).filter((i) => i >= 0);
  const blockAt = thresholdForPrecision(allIdx.map((i) => calibScores[i]![c]!), allIdx.map((i) => calib[i]!.labels[c]!), blockPrecision);
  const block = Math.max(flag, blockAt, cap);
  log(`  ${labels[c]} ${lang}: best ${objective} ${best.toFixed(3)}, block precision ${blockAt.toFixed(3)}, benign cap ${cap.toFixed(3)}`);
  return { flag: round4(flag), block: round4(block) };
}
const thresholds: Record<string, Thresholds> = {};
const thresholdsByLanguage: Record<ModelLanguage, Record<string, Thresholds>> = { zh: {}, en: {} };
labels.forEach((cat, c) => {
  thresholds[cat] = chooseThresholds(c, 'all')!;
  for (const lang of ['zh', 'en'] as const) thresholdsByLanguage[lang][cat] = chooseThresholds(c, lang) ?? { flag: NEVER, block: NEVER };
});
const rules: DecisionRules = { labels: categories, heads: [...MODEL_HEADS], thresholds, thresholdsByLanguage, minEvidence };
log(`thresholds ${JSON.stringify(thresholdsByLanguage)}`);

// 4. Held-out quality of the served weights (TypeScript forward; npm run eval re-measures through ONNX).
const toScored = (set: readonly Example[], scores: Float64Array[]): Scored[] =>
  set.map((e, i) => {
    const decided = decideLabels(scores[i]!, rules, profileText(e.normalized));
    return { dataset: e.dataset, lang: e.lang, original: e.original, labels: categoryLabels(e.labels), scores: decided.scores, actions: decided.actions };
  });
const heldScored = toScored(heldout, scoreAll(served, heldout));
const floatHeld = toScored(heldout, scoreAll(trained, heldout));
const metrics = {
  split: 'heldout (COLD dev.csv; 10% hash split of the other datasets)',
  datasets: datasetReport(heldScored, categories),
  categories: categoryTable(heldScored, categories),
  float32Reference: { datasets: datasetReport(floatHeld, categories) },
};
console.log(JSON.stringify(metrics.datasets, null, 1));
const trainingSeconds = (performance.now() - started) / 1000;
log(`training done in ${trainingSeconds.toFixed(1)}s`);

if (!args['no-export']) {
  const outDir = args.out ?? join(REPO_ROOT, 'models', args.name);
  exportModel({
    outDir,
    name: args.name,
    labels: categories,
    heads: [...MODEL_HEADS],
    featurizer,
    weights: served,
    thresholds,
    thresholdsByLanguage,
    minEvidence: rules.minEvidence,
    training: {
      command: 'npm run train',
      seed,
      config,
      bestEpoch: best.epoch,
      seconds: Math.round(trainingSeconds),
      examples: { train: trainSet.length, calib: calib.length, heldout: heldout.length, duplicatesMerged: stats.duplicatesMerged },
      datasets: DATASETS,
      benignNegatives: {
        source: '../shared/corpus benign parts (all but en_davidson_tweets), hash-half "train"; short fragments are clauses of those lines',
        count: benign.length,
        ...benignCounts,
      },
      thresholdRule: `per category and language (zh/en, from profileText): flag = best ${args['flag-objective-zh'] === 'macro' ? 'macro-F1' : 'F1'} (zh) / best ${args['flag-objective-en'] === 'macro' ? 'macro-F1' : 'F1'} (en) on the calib rows of the datasets with positives for the head, among thresholds with precision >= ${flagPrecision.zh} (zh) / ${flagPrecision.en} (en); block = lowest threshold with precision >= ${blockPrecision} on all supervised calib rows of the language; both raised so that at most ${benignCap.zh * 100}% (zh) / ${benignCap.en * 100}% (en) of that language's benign calib rows (with at least minEvidence.units units) reach them; a language with no positive training rows for a category never flags it (above 1 = never)`,
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
