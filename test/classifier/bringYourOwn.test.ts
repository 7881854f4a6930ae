import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectLayout, loadClassifier } from '../../src/classifier/index.js';
import { normalizeForModel } from '../../src/normalize/index.js';
import { tinyBert, tinyBertLogits, writeHfModelDir } from './tinyBert.js';

const LABEL_MAP = {
  format: 'warden-label-map',
  name: 'tiny-bert',
  labels: { neutral: null, insult: 'harassment', threat: 'harassment', sexism: 'gender_discrimination' },
  thresholds: { harassment: { flag: 0.4, block: 0.8 }, gender_discrimination: { flag: 0.3, block: 0.9 } },
};

const softmax = (z: number[]) => {
  const e = z.map((x) => Math.exp(x - Math.max(...z)));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
};

describe('bring your own Hugging Face model', () => {
  it('serves a BERT-shaped ONNX model with its tokenizer from local files, mapped to warden categories', async () => {
    const weights = tinyBert(5);
    const dir = writeHfModelDir(weights, LABEL_MAP);
    expect(await detectLayout(dir)).toBe('huggingface');
    const c = await loadClassifier({ modelDir: dir, maxWaitMs: 1 });
    try {
      expect(c.name).toBe('tiny-bert');
      const texts = ['Hello  WORLD', '你傻逼', 'you idiot qqq'];
      // Expected token ids from the vocabulary by hand: [CLS]=2 ... [SEP]=3, unknown words -> [UNK]=1.
      const expectedIds = [[2, 4, 5, 3], [2, 8, 10, 11, 3], [2, 6, 7, 1, 3]];
      const results = await Promise.all(texts.map((raw) => c.classify([{ raw, normalized: normalizeForModel(raw) }]).then((r) => r[0]!)));
      results.forEach((scores, i) => {
        const p = softmax(tinyBertLogits(weights, expectedIds[i]!));
        const harassment = scores.find((s) => s.category === 'harassment')!;
        const gender = scores.find((s) => s.category === 'gender_discrimination')!;
        expect(scores).toHaveLength(2);
        // insult and threat both mean harassment: the higher one counts.
        expect(harassment.score).toBeCloseTo(Math.max(p[1]!, p[2]!), 5);
        expect(gender.score).toBeCloseTo(p[3]!, 5);
        expect(harassment.action).toBe(harassment.score >= 0.8 ? 'block' : harassment.score >= 0.4 ? 'flag' : 'allow');
      });
    } finally {
      await c.close();
    }
  });

  it('rejects a label map naming labels the model does not have', async () => {
    const dir = writeHfModelDir(tinyBert(1), { ...LABEL_MAP, labels: { ...LABEL_MAP.labels, toxic: 'harassment' } });
    await expect(loadClassifier({ modelDir: dir })).rejects.toThrow(/labels not in config\.json id2label: toxic/);
  });

  it('rejects a label map without thresholds for a mapped category', async () => {
    const dir = writeHfModelDir(tinyBert(1), LABEL_MAP);
    writeFileSync(join(dir, 'warden-labels.json'), JSON.stringify({ ...LABEL_MAP, thresholds: { harassment: { flag: 0.5, block: 0.9 } } }));
    await expect(loadClassifier({ modelDir: dir })).rejects.toThrow(/thresholds\.gender_discrimination: no thresholds/);
  });
});
