import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { profileText } from '../../src/classifier/evidence.js';
import { DEFAULT_MODEL_DIR, loadClassifier } from '../../src/classifier/index.js';
import { modelJsonSchema } from '../../src/classifier/modelConfig.js';
import { decideLabels, type DecisionRules } from '../../src/classifier/scoring.js';
import { normalizeForModel } from '../../src/normalize/index.js';
import { writeTestModel } from './helpers.js';

const input = (raw: string) => ({ raw, normalized: normalizeForModel(raw) });

describe('text profile (language and evidence)', () => {
  it('counts CJK characters and Latin words as content units; digits and punctuation do not count', () => {
    expect(profileText('你好')).toMatchObject({ lang: 'zh', units: 2 });
    expect(profileText('All:')).toMatchObject({ lang: 'en', units: 1 });
    expect(profileText('call 08001234567 now!!!')).toMatchObject({ lang: 'en', units: 2 });
    expect(profileText('女人开车就是马路杀手')).toMatchObject({ lang: 'zh', units: 10 });
    expect(profileText('')).toMatchObject({ lang: 'en', units: 0 });
  });

  it('calls a text zh when its CJK characters are at least a third of its Latin letters', () => {
    expect(profileText('这个 iPhone 很好用').lang).toBe('zh');
    expect(profileText('I had 饺子 for dinner with my whole family yesterday').lang).toBe('en');
  });
});

const rules: DecisionRules = {
  labels: ['harassment', 'hate'],
  heads: [
    { name: 'harassment', category: 'harassment' },
    { name: 'harassment_b', category: 'harassment' },
    { name: 'hate', category: 'hate' },
  ],
  thresholds: { harassment: { flag: 0.5, block: 0.9 }, harassment_b: { flag: 0.6, block: 0.95 }, hate: { flag: 0.5, block: 0.9 } },
  thresholdsByLanguage: { zh: { hate: { flag: 1.0001, block: 1.0001 } }, en: { harassment: { flag: 0.7, block: 0.8 } } },
  minEvidence: { units: 4, flag: 0.99 },
};
const enText = { lang: 'en' as const, units: 10 };
const zhText = { lang: 'zh' as const, units: 10 };

describe('decision rules', () => {
  it('per-language thresholds override the default ones, per head', () => {
    expect(decideLabels([0.75, 0, 0], rules, enText).actions).toEqual(['flag', 'allow']); // en: harassment flag 0.7
    expect(decideLabels([0.85, 0, 0], rules, enText).actions).toEqual(['block', 'allow']); // en: block 0.8
    expect(decideLabels([0.85, 0, 0], rules, zhText).actions).toEqual(['flag', 'allow']); // zh: default block 0.9
    expect(decideLabels([0, 0, 0.95], rules, zhText).actions).toEqual(['allow', 'allow']); // zh: hate never
    expect(decideLabels([0, 0, 0.95], rules, enText).actions).toEqual(['allow', 'block']);
  });

  it('a label takes its highest head score and its strictest head action', () => {
    const d = decideLabels([0.2, 0.96, 0.1], rules, zhText);
    expect(Array.from(d.scores)).toEqual([0.96, 0.1]);
    expect(d.actions).toEqual(['block', 'allow']);
    expect(decideLabels([0.55, 0.58, 0], rules, zhText).actions).toEqual(['flag', 'allow']); // head a flags, head b does not
  });

  it('minimum evidence: a thin text is never blocked, and flagged only at the minimum-evidence bar', () => {
    const thin = { lang: 'en' as const, units: 3 };
    expect(decideLabels([0.985, 0, 0.985], rules, thin).actions).toEqual(['allow', 'allow']);
    expect(decideLabels([0.995, 0, 0.995], rules, thin).actions).toEqual(['flag', 'flag']);
    expect(decideLabels([0.995, 0, 0.995], rules, { lang: 'en', units: 4 }).actions).toEqual(['block', 'block']);
    // Below its own flag threshold a thin text stays allowed whatever the bar says.
    expect(decideLabels([0.995, 0, 0], { ...rules, minEvidence: { units: 4, flag: 0.5 }, thresholdsByLanguage: { en: { harassment: { flag: 0.999, block: 1.0001 } } } }, thin).actions).toEqual(['allow', 'allow']);
  });

  it('without the optional fields, decisions are the plain per-label thresholds', () => {
    const plain: DecisionRules = { labels: ['hate'], thresholds: { hate: { flag: 0.5, block: 0.9 } } };
    expect(decideLabels([0.95], plain, { lang: 'en', units: 1 }).actions).toEqual(['block']);
  });
});

describe('model.json with heads', () => {
  const { config } = writeTestModel();
  it('requires thresholds per head, known categories and a head for every label', () => {
    const heads = [
      { name: 'harassment', category: 'harassment' },
      { name: 'hate', category: 'hate' },
      { name: 'hate_b', category: 'hate' },
      { name: 'spam_ads', category: 'spam_ads' },
    ];
    expect(modelJsonSchema.safeParse({ ...config, heads }).error?.issues.map((i) => i.message)).toEqual(['no thresholds for head "hate_b"']);
    const ok = { ...config, heads, thresholds: { ...config.thresholds, hate_b: { flag: 0.5, block: 0.9 } } };
    expect(modelJsonSchema.safeParse(ok).success).toBe(true);
    expect(modelJsonSchema.safeParse({ ...ok, heads: heads.slice(0, 3) }).error?.issues.map((i) => i.message)).toEqual(['no head scores label "spam_ads"']);
    expect(modelJsonSchema.safeParse({ ...ok, thresholdsByLanguage: { en: { nope: { flag: 0.5, block: 0.9 } } } }).success).toBe(false);
  });

  it('the classifier applies the minimum-evidence rule it reads from model.json', async () => {
    const { dir } = writeTestModel({
      thresholds: { harassment: { flag: 0, block: 0 }, hate: { flag: 0, block: 0 }, spam_ads: { flag: 0, block: 0 } },
      minEvidence: { units: 4, flag: 1.0001 },
    });
    const c = await loadClassifier({ modelDir: dir });
    try {
      const [thin, enough] = await c.classify([input('hi there'), input('hello there my dear friend')]);
      expect(thin!.map((s) => s.action)).toEqual(['allow', 'allow', 'allow']);
      expect(enough!.map((s) => s.action)).toEqual(['block', 'block', 'block']);
    } finally {
      await c.close();
    }
  });
});

describe.runIf(existsSync(join(DEFAULT_MODEL_DIR, 'model.json')))('the bundled model on short benign texts', () => {
  it('flags no greeting, acknowledgement or speaker tag', async () => {
    const texts = ['你好', '您好', '谢谢', '好的', '早上好', '晚安', '哈哈哈', '在吗', '收到', '没问题', '今天天气不错', '我到家了',
      'Hello', 'Hi!', 'Thanks', 'OK', 'All:', 'Good morning', 'See you tomorrow', 'First Citizen:', 'Yes, sir.', 'lol', 'How are you?'];
    const c = await loadClassifier({ modelDir: DEFAULT_MODEL_DIR });
    try {
      const results = await c.classify(texts.map(input));
      const hits = results.flatMap((r, i) => r.filter((s) => s.action !== 'allow').map((s) => `${texts[i]} -> ${s.category} ${s.action} ${s.score.toFixed(3)}`));
      expect(hits).toEqual([]);
    } finally {
      await c.close();
    }
  });
});
