import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_DIR } from '../../src/classifier/index.js';
import { featurizeWindows } from '../../src/classifier/featurize.js';
import { forward } from '../../src/classifier/fasttextWeights.js';
import { fastTextToOnnx } from '../../src/classifier/onnx/fasttextGraph.js';
import { FastTextClassifier } from '../../src/classifier/fasttextClassifier.js';
import { normalizeForModel } from '../../src/normalize/index.js';
import { randomWeights } from './helpers.js';
import { mulberry32 } from '../../scripts/train/prng.js';

async function onnxScores(bytes: Uint8Array, bags: Int32Array[]): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes);
  const L = Math.max(...bags.map((b) => b.length));
  const ids = new BigInt64Array(bags.length * L);
  const weights = new Float32Array(bags.length * L);
  bags.forEach((bag, b) => bag.forEach((id, i) => ((ids[b * L + i] = BigInt(id)), (weights[b * L + i] = 1 / bag.length))));
  const out = await session.run({ ids: new ort.Tensor('int64', ids, [bags.length, L]), weights: new ort.Tensor('float32', weights, [bags.length, L]) });
  await session.release();
  return out['probs']!.data as Float32Array;
}

describe('ONNX export', () => {
  for (const variant of [
    { hidden: 0, int8: false },
    { hidden: 0, int8: true },
    { hidden: 5, int8: false },
    { hidden: 5, int8: true },
  ]) {
    it(`equals the TypeScript forward pass (hidden=${variant.hidden}, int8=${variant.int8})`, async () => {
      const w = randomWeights({ vocab: 500, dim: 7, classes: 4, seed: 3 + variant.hidden, ...variant });
      const random = mulberry32(11);
      // Ragged bags (padding must not leak into the mean).
      const bags = Array.from({ length: 9 }, (_, b) => Int32Array.from({ length: 1 + ((b * 13) % 40) }, () => Math.floor(random() * 500)));
      const got = await onnxScores(fastTextToOnnx(w), bags);
      bags.forEach((bag, b) => {
        const want = forward(w, bag);
        for (let c = 0; c < 4; c++) expect(got[b * 4 + c]).toBeCloseTo(want[c]!, 5);
      });
    });
  }

  it.runIf(existsSync(join(DEFAULT_MODEL_DIR, 'model.json')))('the committed model.onnx gives the scores the training-time TypeScript forward pass recorded', async () => {
    const model = await FastTextClassifier.load(DEFAULT_MODEL_DIR, { intraOpNumThreads: 1, maxBatch: 32, maxWaitMs: 0 });
    try {
      const checks = model.config.selfCheck ?? [];
      expect(checks.length).toBeGreaterThan(3);
      const bags = checks.map((c) => featurizeWindows(normalizeForModel(c.text), model.config.featurizer)[0]!);
      const got = await model.run(bags);
      checks.forEach((c, i) => c.scores.forEach((want, k) => expect(got[i]![k]).toBeCloseTo(want, 5)));
    } finally {
      await model.close();
    }
  });
});
