/**
 * Trains the fastText-style network (see src/classifier/fasttextWeights.ts) with masked binary
 * cross-entropy and Adam (lazy, row-wise for the embedding table: only rows a minibatch touched
 * are updated, which keeps an epoch over ~100k texts to seconds). Deterministic for a seed.
 * Hand-written: no JS training library does sparse embedding bags, and the model is tiny.
 */
import type { FastTextWeights } from '../../src/classifier/fasttextWeights.js';
import { gaussian, mulberry32, shuffle } from './prng.js';

export interface TrainConfig {
  readonly dim: number;
  readonly hidden: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly lr: number;
  readonly embeddingLr: number;
  readonly seed: number;
  /** Weight of a positive label relative to a negative one, per class (class imbalance). */
  readonly positiveWeight: readonly number[];
  /** Linear learning-rate decay to zero over all steps (fastText's schedule); default off. */
  readonly lrDecay?: boolean;
  /** Dropout on the input ids (fraction of a bag's ids dropped per step): regularises a huge sparse input. */
  readonly idDropout: number;
}

export interface TrainItem {
  readonly ids: Int32Array;
  readonly labels: Int8Array;
}

interface Adam {
  readonly m: Float32Array;
  readonly v: Float32Array;
}
const adam = (n: number): Adam => ({ m: new Float32Array(n), v: new Float32Array(n) });
const B1 = 0.9;
const B2 = 0.999;
const EPS = 1e-8;

export function initWeights(vocab: number, classes: number, c: TrainConfig): FastTextWeights & { embedding: { kind: 'float32' } } {
  const random = mulberry32(c.seed);
  const emb = new Float32Array(vocab * c.dim);
  const bound = 1 / c.dim; // fastText's input init
  for (let i = 0; i < emb.length; i++) emb[i] = (random() * 2 - 1) * bound;
  const w1 = new Float32Array(c.dim * c.hidden);
  const he = Math.sqrt(2 / c.dim);
  for (let i = 0; i < w1.length; i++) w1[i] = gaussian(random) * he;
  const top = c.hidden || c.dim;
  const w2 = new Float32Array(top * classes);
  const glorot = Math.sqrt(1 / top);
  for (let i = 0; i < w2.length; i++) w2[i] = gaussian(random) * glorot;
  return {
    vocab,
    dim: c.dim,
    hidden: c.hidden,
    classes,
    embedding: { kind: 'float32', data: emb },
    w1,
    b1: new Float32Array(c.hidden),
    w2,
    b2: new Float32Array(classes),
  };
}

/**
 * Runs `epochs` epochs, calling onEpoch after each (for validation and keeping the best epoch).
 * Returns the final weights (mutated in place).
 */
export function train(
  items: readonly TrainItem[],
  w: FastTextWeights & { embedding: { kind: 'float32' } },
  c: TrainConfig,
  onEpoch: (epoch: number, meanLoss: number) => void,
): void {
  const random = mulberry32(c.seed ^ 0x9e3779b9);
  const { dim: D, hidden: H, classes: C } = w;
  const top = H || D;
  const E = w.embedding.data;
  const embOpt = adam(E.length);
  const w1Opt = adam(w.w1.length);
  const b1Opt = adam(w.b1.length);
  const w2Opt = adam(w.w2.length);
  const b2Opt = adam(w.b2.length);
  const gE = new Float32Array(E.length);
  const touched = new Uint8Array(w.vocab);
  const touchedRows: number[] = [];
  const gw1 = new Float32Array(w.w1.length);
  const gb1 = new Float32Array(w.b1.length);
  const gw2 = new Float32Array(w.w2.length);
  const gb2 = new Float32Array(w.b2.length);
  const bag = new Float64Array(D);
  const h = new Float64Array(top);
  const gh = new Float64Array(top);
  const gbag = new Float64Array(D);
  const g = new Float64Array(C);
  const kept: number[] = [];
  let step = 0;

  const update = (p: Float32Array, grad: Float32Array, o: Adam, lr: number, from: number, to: number, bc1: number, bc2: number): void => {
    for (let i = from; i < to; i++) {
      const gi = grad[i]!;
      const m = (o.m[i] = B1 * o.m[i]! + (1 - B1) * gi);
      const v = (o.v[i] = B2 * o.v[i]! + (1 - B2) * gi * gi);
      p[i] = p[i]! - (lr * (m / bc1)) / (Math.sqrt(v / bc2) + EPS);
      grad[i] = 0;
    }
  };

  const order = items.map((_, i) => i);
  const totalSteps = c.epochs * Math.ceil(items.length / c.batchSize);
  for (let epoch = 1; epoch <= c.epochs; epoch++) {
    shuffle(order, random);
    let lossSum = 0;
    let lossCount = 0;
    for (let start = 0; start < order.length; start += c.batchSize) {
      const end = Math.min(start + c.batchSize, order.length);
      const scale = 1 / (end - start);
      for (let k = start; k < end; k++) {
        const item = items[order[k]!]!;
        // Forward: mean of the kept ids' rows.
        kept.length = 0;
        for (let i = 0; i < item.ids.length; i++) if (c.idDropout === 0 || random() >= c.idDropout) kept.push(item.ids[i]!);
        if (kept.length === 0) kept.push(item.ids[0]!);
        bag.fill(0);
        for (const id of kept) {
          const base = id * D;
          for (let d = 0; d < D; d++) bag[d] += E[base + d]!;
        }
        const inv = 1 / kept.length;
        for (let d = 0; d < D; d++) bag[d] *= inv;
        if (H > 0) {
          for (let j = 0; j < H; j++) h[j] = w.b1[j]!;
          for (let d = 0; d < D; d++) {
            const x = bag[d]!;
            const row = d * H;
            for (let j = 0; j < H; j++) h[j] += x * w.w1[row + j]!;
          }
          for (let j = 0; j < H; j++) if (h[j]! < 0) h[j] = 0;
        } else h.set(bag);
        for (let cls = 0; cls < C; cls++) {
          const y = item.labels[cls]!;
          if (y < 0) {
            g[cls] = 0;
            continue;
          }
          let z = w.b2[cls]!;
          for (let j = 0; j < top; j++) z += h[j]! * w.w2[j * C + cls]!;
          const p = 1 / (1 + Math.exp(-z));
          const weight = y === 1 ? c.positiveWeight[cls]! : 1;
          lossSum += -weight * (y === 1 ? Math.log(p + 1e-7) : Math.log(1 - p + 1e-7));
          lossCount++;
          g[cls] = weight * (p - y) * scale;
        }
        // Backward.
        gh.fill(0);
        for (let j = 0; j < top; j++) {
          const hj = h[j]!;
          const row = j * C;
          for (let cls = 0; cls < C; cls++) {
            const gc = g[cls]!;
            if (gc === 0) continue;
            gw2[row + cls] += hj * gc;
            gh[j] += w.w2[row + cls]! * gc;
          }
        }
        for (let cls = 0; cls < C; cls++) gb2[cls] += g[cls]!;
        if (H > 0) {
          gbag.fill(0);
          for (let j = 0; j < H; j++) if (h[j]! <= 0) gh[j] = 0;
          for (let d = 0; d < D; d++) {
            const x = bag[d]!;
            const row = d * H;
            let acc = 0;
            for (let j = 0; j < H; j++) {
              const ghj = gh[j]!;
              gw1[row + j] += x * ghj;
              acc += w.w1[row + j]! * ghj;
            }
            gbag[d] = acc;
          }
          for (let j = 0; j < H; j++) gb1[j] += gh[j]!;
        } else gbag.set(gh);
        for (const id of kept) {
          if (touched[id] === 0) {
            touched[id] = 1;
            touchedRows.push(id);
          }
          const base = id * D;
          for (let d = 0; d < D; d++) gE[base + d] += gbag[d]! * inv;
        }
      }
      step++;
      const bc1 = 1 - B1 ** step;
      const bc2 = 1 - B2 ** step;
      const decay = c.lrDecay ? Math.max(0.02, 1 - step / totalSteps) : 1;
      for (const id of touchedRows) {
        update(E, gE, embOpt, c.embeddingLr * decay, id * D, id * D + D, bc1, bc2);
        touched[id] = 0;
      }
      touchedRows.length = 0;
      update(w.w2, gw2, w2Opt, c.lr * decay, 0, w.w2.length, bc1, bc2);
      update(w.b2, gb2, b2Opt, c.lr * decay, 0, w.b2.length, bc1, bc2);
      if (H > 0) {
        update(w.w1, gw1, w1Opt, c.lr * decay, 0, w.w1.length, bc1, bc2);
        update(w.b1, gb1, b1Opt, c.lr * decay, 0, w.b1.length, bc1, bc2);
      }
    }
    onEpoch(epoch, lossSum / Math.max(1, lossCount));
  }
}
