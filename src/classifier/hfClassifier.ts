/**
 * Bring-your-own model: a Hugging Face sequence-classification model exported to ONNX
 * (model.onnx, tokenizer.json, tokenizer_config.json, config.json with id2label) plus a
 * warden-labels.json mapping its labels to warden categories. The tokenizer is
 * @huggingface/transformers', loaded from the model directory only (remote loading disabled).
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { MicroBatcher } from './batcher.js';
import { splitWindows } from './featurize.js';
import { labelMapSchema, parseConfig, readConfig, type LabelMap } from './modelConfig.js';
import { regroup, toCategoryScores, worstWindow } from './scoring.js';
import { createSession, ort } from './session.js';
import type { ServeOptions } from './fasttextClassifier.js';
import type { CategoryScore, Classifier, ClassifierInput } from './types.js';

export const LABEL_MAP_FILE = 'warden-labels.json';

const hfConfigSchema = z.object({
  id2label: z.record(z.string(), z.string()),
  problem_type: z.string().optional(),
  _name_or_path: z.string().optional(),
});

interface Encoded {
  input_ids: number[][];
  attention_mask: number[][];
  token_type_ids?: number[][];
}
type Tokenize = (texts: string[]) => Encoded;

async function loadTokenizer(modelDir: string, maxTokens: number): Promise<Tokenize> {
  // Imported lazily: only operators who bring a model pay for loading transformers.js.
  const { AutoTokenizer, env } = await import('@huggingface/transformers');
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = dirname(modelDir);
  const tokenizer = await AutoTokenizer.from_pretrained(basename(modelDir), { local_files_only: true });
  return (texts) =>
    tokenizer(texts, { padding: true, truncation: true, max_length: maxTokens, return_tensor: false }) as unknown as Encoded;
}

const toInt64 = (rows: number[][], width: number): BigInt64Array => {
  const out = new BigInt64Array(rows.length * width);
  rows.forEach((r, b) => r.forEach((v, i) => (out[b * width + i] = BigInt(v))));
  return out;
};

export class HfClassifier implements Classifier {
  readonly name: string;
  private readonly batcher: MicroBatcher<string, Float64Array>;
  /** categories[k] is the warden category of the model's output column columns[k]. */
  readonly categories: string[];
  private readonly columns: number[][];

  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly tokenize: Tokenize,
    private readonly map: LabelMap,
    id2label: Record<string, string>,
    private readonly activation: 'sigmoid' | 'softmax',
    private readonly numLabels: number,
    name: string,
    options: ServeOptions,
  ) {
    this.name = name;
    // Several model labels may mean one category (e.g. "insult" and "threat" -> harassment): the highest wins.
    const byCategory = new Map<string, number[]>();
    for (const [id, label] of Object.entries(id2label)) {
      const category = map.labels[label];
      if (category === undefined || category === null) continue;
      byCategory.set(category, [...(byCategory.get(category) ?? []), Number(id)]);
    }
    this.categories = [...byCategory.keys()];
    this.columns = [...byCategory.values()];
    this.batcher = new MicroBatcher((texts) => this.run(texts), options);
  }

  static async load(modelDir: string, options: ServeOptions): Promise<HfClassifier> {
    const config = parseConfig(hfConfigSchema, await readFile(join(modelDir, 'config.json'), 'utf8'), join(modelDir, 'config.json'));
    const map = await readConfig(labelMapSchema, join(modelDir, LABEL_MAP_FILE));
    const unknown = Object.keys(map.labels).filter((l) => !Object.values(config.id2label).includes(l));
    if (unknown.length > 0) {
      throw new Error(`${join(modelDir, LABEL_MAP_FILE)}: labels not in config.json id2label: ${unknown.join(', ')}`);
    }
    const activation = map.activation ?? (config.problem_type === 'multi_label_classification' ? 'sigmoid' : 'softmax');
    const tokenize = await loadTokenizer(modelDir, map.maxTokens);
    const session = await createSession(join(modelDir, 'model.onnx'), options);
    const name = map.name ?? config._name_or_path ?? basename(modelDir);
    const classifier = new HfClassifier(session, tokenize, map, config.id2label, activation, Object.keys(config.id2label).length, name, options);
    await classifier.run(['warm-up']);
    return classifier;
  }

  get runs(): number {
    return this.batcher.runs;
  }

  /** Category scores (in this.categories order) for each text, in one session run. */
  async run(texts: readonly string[]): Promise<Float64Array[]> {
    const enc = this.tokenize([...texts]);
    const width = enc.input_ids[0]?.length ?? 0;
    const shape = [texts.length, width];
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor('int64', toInt64(enc.input_ids, width), shape),
      attention_mask: new ort.Tensor('int64', toInt64(enc.attention_mask, width), shape),
    };
    if (this.session.inputNames.includes('token_type_ids')) {
      feeds['token_type_ids'] = new ort.Tensor('int64', enc.token_type_ids ? toInt64(enc.token_type_ids, width) : new BigInt64Array(texts.length * width), shape);
    }
    const out = await this.session.run(feeds);
    const logits = out['logits'] ?? out[this.session.outputNames[0]!];
    if (logits === undefined) throw new Error('model.onnx produced no logits');
    const data = logits.data as Float32Array;
    const n = this.numLabels;
    return texts.map((_, b) => {
      const row = Array.from(data.subarray(b * n, (b + 1) * n));
      const probs = this.activation === 'sigmoid' ? row.map((z) => 1 / (1 + Math.exp(-z))) : softmax(row);
      return Float64Array.from(this.columns, (cols) => Math.max(...cols.map((k) => probs[k]!)));
    });
  }

  async classify(inputs: readonly ClassifierInput[]): Promise<CategoryScore[][]> {
    const windowSettings = { windowChars: this.map.windowChars, windowStride: this.map.windowStride };
    const windowsPerText = inputs.map((i) => {
      const text = this.map.input === 'raw' ? i.raw : i.normalized;
      return text.trim() === '' ? [] : splitWindows(text, windowSettings);
    });
    const scores = await this.batcher.submit(windowsPerText.flat());
    return regroup(scores, windowsPerText.map((w) => w.length)).map((w) =>
      toCategoryScores(worstWindow(w, this.categories.length), this.categories, this.map.thresholds),
    );
  }

  async close(): Promise<void> {
    this.batcher.close();
    await this.session.release();
  }
}

function softmax(z: number[]): number[] {
  const max = Math.max(...z);
  const e = z.map((x) => Math.exp(x - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / sum);
}
