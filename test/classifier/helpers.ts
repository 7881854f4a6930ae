/** Small random fastText models for tests (seeded, so failures reproduce). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_FEATURIZER, type FeaturizerSettings } from '../../src/classifier/featurize.js';
import { quantizeEmbedding, type FastTextWeights } from '../../src/classifier/fasttextWeights.js';
import { fastTextToOnnx } from '../../src/classifier/onnx/fasttextGraph.js';
import type { ModelJson } from '../../src/classifier/modelConfig.js';
import { mulberry32 } from '../../scripts/train/prng.js';

export function randomWeights(opts: { vocab: number; dim: number; hidden: number; classes: number; int8: boolean; seed: number }): FastTextWeights {
  const random = mulberry32(opts.seed);
  const r = (n: number, scale = 1): Float32Array => Float32Array.from({ length: n }, () => (random() * 2 - 1) * scale);
  const emb = r(opts.vocab * opts.dim);
  return {
    vocab: opts.vocab,
    dim: opts.dim,
    hidden: opts.hidden,
    classes: opts.classes,
    embedding: opts.int8 ? quantizeEmbedding(emb, opts.vocab, opts.dim) : { kind: 'float32', data: emb },
    w1: r(opts.dim * opts.hidden),
    b1: r(opts.hidden, 0.1),
    w2: r((opts.hidden || opts.dim) * opts.classes, 2),
    b2: r(opts.classes, 0.5),
  };
}

export const TEST_LABELS = ['harassment', 'hate', 'spam_ads'];

/** Writes a complete warden-fasttext model directory with random weights. */
export function writeTestModel(overrides: Partial<ModelJson> = {}, featurizer: Partial<FeaturizerSettings> = {}): { dir: string; weights: FastTextWeights; config: ModelJson } {
  const dir = mkdtempSync(join(tmpdir(), 'warden-model-'));
  const settings: FeaturizerSettings = { ...DEFAULT_FEATURIZER, buckets: 4096, ...featurizer };
  const weights = randomWeights({ vocab: settings.buckets, dim: 8, hidden: 6, classes: TEST_LABELS.length, int8: true, seed: 7 });
  writeFileSync(join(dir, 'model.onnx'), fastTextToOnnx(weights));
  const config: ModelJson = {
    format: 'warden-fasttext',
    version: 1,
    name: 'test-model',
    labels: TEST_LABELS,
    featurizer: settings,
    onnx: { file: 'model.onnx', inputs: { ids: 'ids', weights: 'weights' }, output: 'probs' },
    thresholds: { harassment: { flag: 0.5, block: 0.9 }, hate: { flag: 0.5, block: 0.9 }, spam_ads: { flag: 0.5, block: 0.9 } },
    ...overrides,
  };
  writeFileSync(join(dir, 'model.json'), JSON.stringify(config));
  return { dir, weights, config };
}
