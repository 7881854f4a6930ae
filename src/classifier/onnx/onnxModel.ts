/**
 * Builds ONNX ModelProto bytes with the hand-written ProtoWriter: only the messages and fields
 * warden's graphs use (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto,
 * ValueInfoProto, OperatorSetIdProto). Field numbers are those of onnx/onnx.proto3.
 */
import { ProtoWriter } from './protobuf.js';

export const DataType = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6, INT64: 7, FLOAT16: 10 } as const;
export type DataTypeId = (typeof DataType)[keyof typeof DataType];

/** A dimension is a fixed size or a symbolic name such as "batch". */
export type Dim = number | string;

export type AttributeValue =
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'ints'; readonly value: readonly number[] };

export interface NodeSpec {
  readonly op: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes?: Readonly<Record<string, AttributeValue>>;
}

export interface TensorSpec {
  readonly name: string;
  readonly dataType: DataTypeId;
  readonly dims: readonly number[];
  /** Little-endian raw bytes. */
  readonly raw: Uint8Array;
}

export interface ValueSpec {
  readonly name: string;
  readonly dataType: DataTypeId;
  readonly shape: readonly Dim[];
}

export interface GraphSpec {
  readonly name: string;
  readonly nodes: readonly NodeSpec[];
  readonly initializers: readonly TensorSpec[];
  readonly inputs: readonly ValueSpec[];
  readonly outputs: readonly ValueSpec[];
}

export interface ModelSpec {
  readonly graph: GraphSpec;
  readonly opset: number;
  readonly producer: string;
  readonly docString?: string;
}

const ATTR_FLOAT = 1;
const ATTR_INT = 2;
const ATTR_INTS = 7;

function writeAttribute(w: ProtoWriter, name: string, a: AttributeValue): void {
  w.string(1, name);
  if (a.kind === 'float') w.float(2, a.value).int(20, ATTR_FLOAT);
  else if (a.kind === 'int') w.int(3, a.value).int(20, ATTR_INT);
  else {
    for (const v of a.value) w.int(8, v);
    w.int(20, ATTR_INTS);
  }
}

function writeNode(w: ProtoWriter, n: NodeSpec, index: number): void {
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, `${n.op}_${index}`);
  w.string(4, n.op);
  for (const [name, a] of Object.entries(n.attributes ?? {})) w.message(5, (aw) => writeAttribute(aw, name, a));
}

function writeTensor(w: ProtoWriter, t: TensorSpec): void {
  for (const d of t.dims) w.int(1, d);
  w.int(2, t.dataType);
  w.string(8, t.name);
  w.bytes(9, t.raw);
}

function writeValueInfo(w: ProtoWriter, v: ValueSpec): void {
  w.string(1, v.name);
  w.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.int(1, v.dataType);
      tensor.message(2, (shape) => {
        for (const d of v.shape) {
          shape.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)));
        }
      });
    }),
  );
}

export function encodeModel(m: ModelSpec): Uint8Array {
  const w = new ProtoWriter();
  w.int(1, 8); // ir_version 8 pairs with opset 17/18
  w.string(2, m.producer);
  if (m.docString !== undefined) w.string(6, m.docString);
  w.message(7, (g) => {
    m.graph.nodes.forEach((n, i) => g.message(1, (nw) => writeNode(nw, n, i)));
    g.string(2, m.graph.name);
    for (const t of m.graph.initializers) g.message(5, (tw) => writeTensor(tw, t));
    for (const v of m.graph.inputs) g.message(11, (vw) => writeValueInfo(vw, v));
    for (const v of m.graph.outputs) g.message(12, (vw) => writeValueInfo(vw, v));
  });
  w.message(8, (o) => o.string(1, '').int(2, m.opset));
  return w.finish();
}

/** Raw little-endian bytes of typed arrays (the platforms warden runs on are little-endian). */
export function rawBytes(a: Float32Array | Int8Array | Int32Array | BigInt64Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

export const int = (value: number): AttributeValue => ({ kind: 'int', value });
export const float = (value: number): AttributeValue => ({ kind: 'float', value });
export const ints = (value: readonly number[]): AttributeValue => ({ kind: 'ints', value });
