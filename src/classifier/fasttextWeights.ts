/**
 * The fastText-style network's weights and a plain TypeScript forward pass. The forward pass is
 * the reference the ONNX export is tested against, and what training evaluates with.
 *
 *   bag      = mean over the window's ids of embedding[id]           (D)
 *   hidden   = relu(bag · w1 + b1)           when hidden > 0          (H)
 *   score[c] = sigmoid(hidden · w2[:, c] + b2[c])                     (C)
 */

export type EmbeddingTable =
  | { readonly kind: 'float32'; readonly data: Float32Array }
  /** Symmetric per-row int8: row v is data[v*D .. v*D+D) * scale[v]. */
  | { readonly kind: 'int8'; readonly data: Int8Array; readonly scale: Float32Array };

export interface FastTextWeights {
  readonly vocab: number;
  readonly dim: number;
  /** 0 = linear model straight from the bag to the outputs. */
  readonly hidden: number;
  readonly classes: number;
  readonly embedding: EmbeddingTable;
  /** [dim, hidden] row-major, when hidden > 0. */
  readonly w1: Float32Array;
  readonly b1: Float32Array;
  /** [hidden || dim, classes] row-major. */
  readonly w2: Float32Array;
  readonly b2: Float32Array;
}

/** Per-row symmetric int8 quantisation of a float32 table (the scale makes each row's max |x| = 127). */
export function quantizeEmbedding(data: Float32Array, vocab: number, dim: number): EmbeddingTable {
  const q = new Int8Array(vocab * dim);
  const scale = new Float32Array(vocab);
  for (let v = 0; v < vocab; v++) {
    let max = 0;
    for (let d = 0; d < dim; d++) max = Math.max(max, Math.abs(data[v * dim + d]!));
    const s = max > 0 ? max / 127 : 1;
    scale[v] = s;
    for (let d = 0; d < dim; d++) q[v * dim + d] = Math.round(data[v * dim + d]! / s);
  }
  return { kind: 'int8', data: q, scale };
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** The mean embedding of a bag of ids (float64 accumulation). */
export function embedBag(w: FastTextWeights, ids: ArrayLike<number>): Float64Array {
  const bag = new Float64Array(w.dim);
  const e = w.embedding;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    const rowScale = e.kind === 'int8' ? e.scale[id]! : 1;
    const base = id * w.dim;
    for (let d = 0; d < w.dim; d++) bag[d] += e.data[base + d]! * rowScale;
  }
  const inv = ids.length > 0 ? 1 / ids.length : 0;
  for (let d = 0; d < w.dim; d++) bag[d] *= inv;
  return bag;
}

/** Hidden activations (or the bag itself for a linear model). */
export function hiddenLayer(w: FastTextWeights, bag: Float64Array): Float64Array {
  if (w.hidden === 0) return bag;
  const h = new Float64Array(w.hidden);
  for (let j = 0; j < w.hidden; j++) h[j] = w.b1[j]!;
  for (let d = 0; d < w.dim; d++) {
    const x = bag[d]!;
    if (x === 0) continue;
    const row = d * w.hidden;
    for (let j = 0; j < w.hidden; j++) h[j] += x * w.w1[row + j]!;
  }
  for (let j = 0; j < w.hidden; j++) if (h[j]! < 0) h[j] = 0;
  return h;
}

export function outputLogits(w: FastTextWeights, h: Float64Array): Float64Array {
  const logits = new Float64Array(w.classes);
  for (let c = 0; c < w.classes; c++) logits[c] = w.b2[c]!;
  for (let j = 0; j < h.length; j++) {
    const x = h[j]!;
    if (x === 0) continue;
    const row = j * w.classes;
    for (let c = 0; c < w.classes; c++) logits[c] += x * w.w2[row + c]!;
  }
  return logits;
}

/** Per-class probabilities for one bag of ids. */
export function forward(w: FastTextWeights, ids: ArrayLike<number>): Float64Array {
  const logits = outputLogits(w, hiddenLayer(w, embedBag(w, ids)));
  return logits.map(sigmoid);
}
