/** Serves warden's own fastText-style model (models/<name>/model.json + model.onnx). */
import { join } from 'node:path';
import { MicroBatcher } from './batcher.js';
import { featurizeWindows } from './featurize.js';
import { modelJsonSchema, readConfig, type ModelJson } from './modelConfig.js';
import { profileText } from './evidence.js';
import { decideLabels, outputsOf, regroup, worstWindow } from './scoring.js';
import { createSession, ort } from './session.js';
import type { CategoryScore, Classifier, ClassifierInput } from './types.js';

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

export interface ServeOptions {
  readonly intraOpNumThreads: number;
  readonly maxBatch: number;
  readonly maxWaitMs: number;
}

export class FastTextClassifier implements Classifier {
  readonly name: string;
  readonly categories: readonly string[];
  private readonly batcher: MicroBatcher<Int32Array, Float32Array>;

  private constructor(
    readonly config: ModelJson,
    private readonly session: ort.InferenceSession,
    options: ServeOptions,
  ) {
    this.name = config.name;
    this.categories = config.labels;
    this.batcher = new MicroBatcher((windows) => this.run(windows), options);
  }

  static async load(modelDir: string, options: ServeOptions): Promise<FastTextClassifier> {
    const config = await readConfig(modelJsonSchema, join(modelDir, 'model.json'));
    const session = await createSession(join(modelDir, config.onnx.file), options);
    for (const name of [config.onnx.inputs.ids, config.onnx.inputs.weights]) {
      if (!session.inputNames.includes(name)) throw new Error(`${modelDir}: model.onnx has no input "${name}"`);
    }
    const classifier = new FastTextClassifier(config, session, options);
    // Warm-up: the first run allocates and plans; pay for it at start-up, not on a request.
    await classifier.run([new Int32Array([1, 2, 3])]);
    return classifier;
  }

  /** Number of session runs so far (micro-batching merges concurrent calls into one). */
  get runs(): number {
    return this.batcher.runs;
  }

  /** Scores windows (bags of ids) in one session run. */
  async run(windows: readonly Int32Array[]): Promise<Float32Array[]> {
    const batch = windows.length;
    const length = Math.max(1, ...windows.map((w) => w.length));
    const ids = new BigInt64Array(batch * length);
    const weights = new Float32Array(batch * length);
    // Ids are non-negative int32: on little-endian hosts write the low word through an Int32Array
    // view (the high word stays 0) instead of allocating a BigInt per id.
    const low = LITTLE_ENDIAN ? new Int32Array(ids.buffer) : null;
    windows.forEach((w, b) => {
      const inv = 1 / w.length;
      const base = b * length;
      for (let i = 0; i < w.length; i++) {
        if (low !== null) low[(base + i) * 2] = w[i]!;
        else ids[base + i] = BigInt(w[i]!);
        weights[base + i] = inv;
      }
    });
    const { inputs, output } = this.config.onnx;
    const result = await this.session.run({
      [inputs.ids]: new ort.Tensor('int64', ids, [batch, length]),
      [inputs.weights]: new ort.Tensor('float32', weights, [batch, length]),
    });
    const probs = result[output];
    if (probs === undefined) throw new Error(`model.onnx produced no "${output}"`);
    const data = probs.data as Float32Array;
    const classes = outputsOf(this.config).length;
    return windows.map((_, b) => data.subarray(b * classes, (b + 1) * classes));
  }

  async classify(inputs: readonly ClassifierInput[]): Promise<CategoryScore[][]> {
    const { featurizer, labels } = this.config;
    const outputs = outputsOf(this.config).length;
    // Texts that normalise to nothing are not sent to the model: there is nothing to judge.
    const windowsPerText = inputs.map((i) => (i.normalized.trim() === '' ? [] : featurizeWindows(i.normalized, featurizer)));
    const scores = await this.batcher.submit(windowsPerText.flat());
    return regroup(scores, windowsPerText.map((w) => w.length)).map((w, i) => {
      const { scores: byLabel, actions } = decideLabels(worstWindow(w, outputs), this.config, profileText(inputs[i]!.normalized));
      return labels.map((category, c) => ({ category, score: byLabel[c]!, action: actions[c]! }));
    });
  }

  async close(): Promise<void> {
    this.batcher.close();
    await this.session.release();
  }
}
