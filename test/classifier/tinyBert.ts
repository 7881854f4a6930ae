/**
 * A tiny BERT-shaped sequence classifier (input_ids, attention_mask, token_type_ids -> logits)
 * with random weights, written with warden's ONNX writer, plus its TypeScript reference and a
 * WordPiece tokenizer.json: everything a Hugging Face export directory has, built offline.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, encodeModel, float, int, rawBytes, type TensorSpec } from '../../src/classifier/onnx/onnxModel.js';
import { mulberry32 } from '../../scripts/train/prng.js';

export const VOCAB = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', 'hello', 'world', 'you', 'idiot', '你', '好', '傻', '逼', '女', '人'];
export const ID2LABEL = { '0': 'neutral', '1': 'insult', '2': 'threat', '3': 'sexism' };

export interface TinyBert {
  readonly D: number;
  readonly word: Float32Array;
  readonly type: Float32Array;
  readonly gamma: Float32Array;
  readonly beta: Float32Array;
  readonly wp: Float32Array;
  readonly bp: Float32Array;
  readonly wc: Float32Array;
  readonly bc: Float32Array;
}

export function tinyBert(seed: number): TinyBert {
  const random = mulberry32(seed);
  const r = (n: number, s = 1) => Float32Array.from({ length: n }, () => (random() * 2 - 1) * s);
  const D = 8;
  const L = Object.keys(ID2LABEL).length;
  return { D, word: r(VOCAB.length * D), type: r(2 * D, 0.1), gamma: r(D).map((x) => 1 + 0.2 * x), beta: r(D, 0.1), wp: r(D * D), bp: r(D, 0.1), wc: r(D * L, 3), bc: r(L, 0.5) };
}

export function tinyBertOnnx(m: TinyBert): Uint8Array {
  const L = Object.keys(ID2LABEL).length;
  const t = (name: string, dims: number[], data: Float32Array | BigInt64Array): TensorSpec => ({
    name,
    dims,
    dataType: data instanceof BigInt64Array ? DataType.INT64 : DataType.FLOAT,
    raw: rawBytes(data),
  });
  return encodeModel({
    producer: 'warden-test',
    opset: 17,
    graph: {
      name: 'tiny_bert',
      initializers: [
        t('word', [VOCAB.length, m.D], m.word), t('type', [2, m.D], m.type), t('gamma', [m.D], m.gamma), t('beta', [m.D], m.beta),
        t('wp', [m.D, m.D], m.wp), t('bp', [m.D], m.bp), t('wc', [m.D, L], m.wc), t('bc', [L], m.bc),
        t('axis1', [1], BigInt64Array.of(1n)), t('axis_last', [1], BigInt64Array.of(-1n)),
      ],
      nodes: [
        { op: 'Gather', inputs: ['word', 'input_ids'], outputs: ['we'] },
        { op: 'Gather', inputs: ['type', 'token_type_ids'], outputs: ['te'] },
        { op: 'Add', inputs: ['we', 'te'], outputs: ['x'] },
        { op: 'LayerNormalization', inputs: ['x', 'gamma', 'beta'], outputs: ['ln'], attributes: { axis: int(-1), epsilon: float(1e-5) } },
        { op: 'Cast', inputs: ['attention_mask'], outputs: ['mask'], attributes: { to: int(DataType.FLOAT) } },
        { op: 'Unsqueeze', inputs: ['mask', 'axis_last'], outputs: ['mask3'] },
        { op: 'Mul', inputs: ['ln', 'mask3'], outputs: ['masked'] },
        { op: 'ReduceSum', inputs: ['masked', 'axis1'], outputs: ['sum'], attributes: { keepdims: int(0) } },
        { op: 'ReduceSum', inputs: ['mask', 'axis1'], outputs: ['count'], attributes: { keepdims: int(1) } },
        { op: 'Div', inputs: ['sum', 'count'], outputs: ['pooled'] },
        { op: 'Gemm', inputs: ['pooled', 'wp', 'bp'], outputs: ['pre'] },
        { op: 'Tanh', inputs: ['pre'], outputs: ['pooler'] },
        { op: 'Gemm', inputs: ['pooler', 'wc', 'bc'], outputs: ['logits'] },
      ],
      inputs: ['input_ids', 'attention_mask', 'token_type_ids'].map((name) => ({ name, dataType: DataType.INT64, shape: ['batch', 'sequence'] })),
      outputs: [{ name: 'logits', dataType: DataType.FLOAT, shape: ['batch', L] }],
    },
  });
}

/** Reference logits for one unpadded sequence of token ids (token type 0). */
export function tinyBertLogits(m: TinyBert, ids: number[]): number[] {
  const D = m.D;
  const L = Object.keys(ID2LABEL).length;
  const pooled = new Array<number>(D).fill(0);
  for (const id of ids) {
    const x = Array.from({ length: D }, (_, d) => m.word[id * D + d]! + m.type[d]!);
    const mean = x.reduce((a, b) => a + b, 0) / D;
    const variance = x.reduce((a, b) => a + (b - mean) ** 2, 0) / D;
    x.forEach((v, d) => (pooled[d]! += ((v - mean) / Math.sqrt(variance + 1e-5)) * m.gamma[d]! + m.beta[d]!));
  }
  const p = pooled.map((v) => v / ids.length);
  const h = Array.from({ length: D }, (_, j) => Math.tanh(m.bp[j]! + p.reduce((a, v, d) => a + v * m.wp[d * D + j]!, 0)));
  return Array.from({ length: L }, (_, c) => m.bc[c]! + h.reduce((a, v, j) => a + v * m.wc[j * L + c]!, 0));
}

const special = (id: number, content: string) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });

export function tokenizerJson(): object {
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: ['[PAD]', '[UNK]', '[CLS]', '[SEP]'].map((t, i) => special(i, t)),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } }, { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [2], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [3], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab: Object.fromEntries(VOCAB.map((t, i) => [t, i])) },
  };
}

/** A complete Hugging Face layout directory with a warden label map. */
export function writeHfModelDir(m: TinyBert, labelMap: object): string {
  const dir = mkdtempSync(join(tmpdir(), 'warden-hf-'));
  writeFileSync(join(dir, 'model.onnx'), tinyBertOnnx(m));
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(tokenizerJson()));
  writeFileSync(
    join(dir, 'tokenizer_config.json'),
    JSON.stringify({ tokenizer_class: 'BertTokenizer', model_max_length: 512, do_lower_case: true, pad_token: '[PAD]', unk_token: '[UNK]', cls_token: '[CLS]', sep_token: '[SEP]' }),
  );
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ _name_or_path: 'tiny-bert-test', architectures: ['BertForSequenceClassification'], id2label: ID2LABEL, label2id: Object.fromEntries(Object.entries(ID2LABEL).map(([k, v]) => [v, Number(k)])) }));
  writeFileSync(join(dir, 'warden-labels.json'), JSON.stringify(labelMap));
  return dir;
}
