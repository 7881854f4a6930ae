/**
 * Loads the classifier in a model directory: warden's own layout (model.json + model.onnx) or a
 * Hugging Face layout (config.json + tokenizer.json + model.onnx + warden-labels.json).
 */
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FastTextClassifier } from './fasttextClassifier.js';
import { HfClassifier, LABEL_MAP_FILE } from './hfClassifier.js';
import type { Classifier } from './types.js';

export type { Classifier, ClassifierInput, CategoryScore } from './types.js';
export { ModelConfigError } from './modelConfig.js';

/** The committed default model; src/classifier and dist/classifier are both two levels below the repo root. */
export const DEFAULT_MODEL_DIR = fileURLToPath(new URL('../../models/warden-fasttext', import.meta.url));

export interface LoadClassifierOptions {
  readonly modelDir: string;
  /** Threads for one inference (default 1: requests run in parallel, not one request in parallel). */
  readonly intraOpNumThreads?: number;
  /** Flush a micro-batch once this many windows wait (default 32). */
  readonly maxBatch?: number;
  /** Wait at most this long for more concurrent texts before running (default 1 ms). */
  readonly maxWaitMs?: number;
}

export type ModelLayout = 'warden-fasttext' | 'huggingface';

const exists = (file: string): Promise<boolean> => access(file).then(() => true, () => false);

export async function detectLayout(modelDir: string): Promise<ModelLayout> {
  if (await exists(join(modelDir, 'model.json'))) return 'warden-fasttext';
  const hfFiles = ['config.json', 'tokenizer.json', 'model.onnx', LABEL_MAP_FILE];
  const present = await Promise.all(hfFiles.map((f) => exists(join(modelDir, f))));
  if (present.every(Boolean)) return 'huggingface';
  const missing = hfFiles.filter((_, i) => !present[i]);
  throw new Error(
    `${modelDir}: no model found (expected model.json + model.onnx, or a Hugging Face layout; missing ${missing.join(', ')})`,
  );
}

export async function loadClassifier(options: LoadClassifierOptions): Promise<Classifier> {
  const serve = {
    intraOpNumThreads: options.intraOpNumThreads ?? 1,
    maxBatch: options.maxBatch ?? 32,
    maxWaitMs: options.maxWaitMs ?? 1,
  };
  const layout = await detectLayout(options.modelDir);
  return layout === 'warden-fasttext'
    ? FastTextClassifier.load(options.modelDir, serve)
    : HfClassifier.load(options.modelDir, serve);
}
