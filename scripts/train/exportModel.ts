/** Writes model.onnx and model.json for a trained fastText network. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FeaturizerSettings } from '../../src/classifier/featurize.js';
import type { FastTextWeights } from '../../src/classifier/fasttextWeights.js';
import { modelJsonSchema, type ModelJson, type Thresholds } from '../../src/classifier/modelConfig.js';
import { FASTTEXT_IO, fastTextToOnnx } from '../../src/classifier/onnx/fasttextGraph.js';

export interface ExportInput {
  readonly outDir: string;
  readonly name: string;
  readonly labels: readonly string[];
  readonly heads?: ModelJson['heads'];
  readonly featurizer: FeaturizerSettings;
  readonly weights: FastTextWeights;
  readonly thresholds: Record<string, Thresholds>;
  readonly thresholdsByLanguage?: ModelJson['thresholdsByLanguage'];
  readonly minEvidence?: ModelJson['minEvidence'];
  readonly training: Record<string, unknown>;
  readonly metrics: Record<string, unknown>;
  readonly selfCheck: { text: string; scores: number[] }[];
}

export function exportModel(e: ExportInput): ModelJson {
  mkdirSync(e.outDir, { recursive: true });
  const onnx = fastTextToOnnx(e.weights, `warden ${e.name}: fastText-style multi-label classifier; see MODEL_CARD.md`);
  writeFileSync(join(e.outDir, 'model.onnx'), onnx);
  const json: ModelJson = modelJsonSchema.parse({
    format: 'warden-fasttext',
    version: 1,
    name: e.name,
    labels: [...e.labels],
    ...(e.heads ? { heads: e.heads } : {}),
    featurizer: { ...e.featurizer },
    onnx: { file: 'model.onnx', inputs: { ids: FASTTEXT_IO.ids, weights: FASTTEXT_IO.weights }, output: FASTTEXT_IO.output },
    thresholds: e.thresholds,
    ...(e.thresholdsByLanguage ? { thresholdsByLanguage: e.thresholdsByLanguage } : {}),
    ...(e.minEvidence ? { minEvidence: e.minEvidence } : {}),
    selfCheck: e.selfCheck,
    training: e.training,
    metrics: e.metrics,
  });
  writeFileSync(join(e.outDir, 'model.json'), JSON.stringify(json, null, 2) + '\n');
  return json;
}
