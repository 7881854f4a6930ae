/**
 * The fastText network as an ONNX graph (opset 17, CPU-supported ops only):
 *
 *   ids int64 [B, L], weights float [B, L] (1/count for real ids, 0 for padding)
 *   emb    = Gather(table, ids)                         [B, L, D]  (int8 table: Cast + per-row scale)
 *   pooled = Squeeze(MatMul(Unsqueeze(weights', 1), emb), 1)   [B, D]   (the weighted mean)
 *   h      = Relu(Gemm(pooled, w1, b1))                 [B, H]   (when hidden > 0)
 *   probs  = Sigmoid(Gemm(h, w2, b2))                   [B, C]
 */
import type { FastTextWeights } from '../fasttextWeights.js';
import { DataType, encodeModel, rawBytes, int, type NodeSpec, type TensorSpec } from './onnxModel.js';

export const FASTTEXT_IO = { ids: 'ids', weights: 'weights', output: 'probs' } as const;
export const FASTTEXT_OPSET = 17;

export function fastTextToOnnx(w: FastTextWeights, docString?: string): Uint8Array {
  const nodes: NodeSpec[] = [];
  const initializers: TensorSpec[] = [];
  const { ids, weights, output } = FASTTEXT_IO;

  initializers.push({ name: 'axis1', dataType: DataType.INT64, dims: [1], raw: rawBytes(BigInt64Array.of(1n)) });
  if (w.embedding.kind === 'int8') {
    initializers.push({ name: 'table', dataType: DataType.INT8, dims: [w.vocab, w.dim], raw: rawBytes(w.embedding.data) });
    initializers.push({ name: 'row_scale', dataType: DataType.FLOAT, dims: [w.vocab], raw: rawBytes(w.embedding.scale) });
    nodes.push({ op: 'Gather', inputs: ['table', ids], outputs: ['emb_q'], attributes: { axis: int(0) } });
    nodes.push({ op: 'Cast', inputs: ['emb_q'], outputs: ['emb'], attributes: { to: int(DataType.FLOAT) } });
    nodes.push({ op: 'Gather', inputs: ['row_scale', ids], outputs: ['scale'], attributes: { axis: int(0) } });
    nodes.push({ op: 'Mul', inputs: [weights, 'scale'], outputs: ['row_weights'] });
  } else {
    initializers.push({ name: 'table', dataType: DataType.FLOAT, dims: [w.vocab, w.dim], raw: rawBytes(w.embedding.data) });
    nodes.push({ op: 'Gather', inputs: ['table', ids], outputs: ['emb'], attributes: { axis: int(0) } });
    nodes.push({ op: 'Identity', inputs: [weights], outputs: ['row_weights'] });
  }
  nodes.push({ op: 'Unsqueeze', inputs: ['row_weights', 'axis1'], outputs: ['row_weights3'] });
  nodes.push({ op: 'MatMul', inputs: ['row_weights3', 'emb'], outputs: ['pooled3'] });
  nodes.push({ op: 'Squeeze', inputs: ['pooled3', 'axis1'], outputs: ['pooled'] });

  let top = 'pooled';
  if (w.hidden > 0) {
    initializers.push({ name: 'w1', dataType: DataType.FLOAT, dims: [w.dim, w.hidden], raw: rawBytes(w.w1) });
    initializers.push({ name: 'b1', dataType: DataType.FLOAT, dims: [w.hidden], raw: rawBytes(w.b1) });
    nodes.push({ op: 'Gemm', inputs: ['pooled', 'w1', 'b1'], outputs: ['h_pre'] });
    nodes.push({ op: 'Relu', inputs: ['h_pre'], outputs: ['h'] });
    top = 'h';
  }
  initializers.push({ name: 'w2', dataType: DataType.FLOAT, dims: [w.hidden || w.dim, w.classes], raw: rawBytes(w.w2) });
  initializers.push({ name: 'b2', dataType: DataType.FLOAT, dims: [w.classes], raw: rawBytes(w.b2) });
  nodes.push({ op: 'Gemm', inputs: [top, 'w2', 'b2'], outputs: ['logits'] });
  nodes.push({ op: 'Sigmoid', inputs: ['logits'], outputs: [output] });

  return encodeModel({
    producer: 'warden',
    opset: FASTTEXT_OPSET,
    ...(docString !== undefined ? { docString } : {}),
    graph: {
      name: 'warden_fasttext',
      nodes,
      initializers,
      inputs: [
        { name: ids, dataType: DataType.INT64, shape: ['batch', 'length'] },
        { name: weights, dataType: DataType.FLOAT, shape: ['batch', 'length'] },
      ],
      outputs: [{ name: output, dataType: DataType.FLOAT, shape: ['batch', w.classes] }],
    },
  });
}
