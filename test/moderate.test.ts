import { describe, expect, it } from 'vitest';
import type { CategoryScore, Classifier, ClassifierInput } from '../src/classifier/types.js';
import { createModerator } from '../src/moderate.js';

/** A classifier double: scores `hate` by a rule, after an optional delay, or fails. */
function fakeClassifier(behaviour: { delayMs?: number; fail?: boolean } = {}): Classifier & { seen: ClassifierInput[][] } {
  const seen: ClassifierInput[][] = [];
  return {
    name: 'fake-model',
    categories: ['hate', 'harassment'],
    seen,
    async classify(inputs) {
      seen.push([...inputs]);
      if (behaviour.delayMs) await new Promise((r) => setTimeout(r, behaviour.delayMs));
      if (behaviour.fail) throw new Error('model exploded');
      return inputs.map((input): CategoryScore[] => [
        { category: 'hate', score: input.normalized.includes('hateful') ? 0.97 : 0.01, action: input.normalized.includes('hateful') ? 'block' : 'allow' },
        { category: 'harassment', score: 0.7, action: input.normalized.includes('rude') ? 'flag' : 'allow' },
      ]);
    },
    async close() {},
  };
}

describe('the pipeline with a classifier', () => {
  it('asks the model about texts the keywords did not block, with their normalised form', async () => {
    const model = fakeClassifier();
    const moderator = await createModerator({ classifier: model });
    const response = await moderator.moderate(['出售冰毒', 'a HATEFUL remark', 'ｒｕｄｅ', 'fine']);
    expect(response.model).toBe('fake-model');
    expect(response.results.map((r) => [r.verdict, r.decided_by])).toEqual([
      [expect.stringMatching(/block|flag/), 'keyword'],
      ['block', 'model'],
      ['flag', 'model'],
      ['allow', 'none'],
    ]);
    expect(response.results[1]!.categories).toEqual([{ id: 'hate', code: 'A.2.9', group: 'A.2', verdict: 'block', score: 0.97, source: 'model' }]);
    const asked = model.seen.flat();
    expect(asked.map((i) => i.raw)).toEqual(response.results[0]!.verdict === 'block' ? ['a HATEFUL remark', 'ｒｕｄｅ', 'fine'] : ['出售冰毒', 'a HATEFUL remark', 'ｒｕｄｅ', 'fine']);
    expect(asked.find((i) => i.raw === 'ｒｕｄｅ')!.normalized).toBe('rude');
  });

  it('honours classify: never and always', async () => {
    const model = fakeClassifier();
    const moderator = await createModerator({ classifier: model });
    const never = await moderator.moderate('hateful', { classify: 'never' });
    expect(never.results[0]!.verdict).toBe('allow');
    expect(model.seen).toHaveLength(0);
    await moderator.moderate('法轮功 hateful', { classify: 'always' });
    expect(model.seen).toHaveLength(1);
  });

  it('returns the keyword verdict, degraded, when the model is late', async () => {
    const moderator = await createModerator({ classifier: fakeClassifier({ delayMs: 200 }), modelTimeoutMs: 20 });
    const started = performance.now();
    const response = await moderator.moderate(['hateful', '法轮功']);
    expect(performance.now() - started).toBeLessThan(150);
    expect(response.results[0]).toMatchObject({ verdict: 'allow', degraded: true });
    expect(response.results[1]).toMatchObject({ verdict: 'block', decided_by: 'keyword' });
    expect(response.results[1]!.degraded).toBeUndefined(); // blocked by keywords: the model was not needed
    expect(moderator.stats).toMatchObject({ modelTimeouts: 1, degraded: 1 });
  });

  it('returns the keyword verdict, degraded, when the model fails', async () => {
    const moderator = await createModerator({ classifier: fakeClassifier({ fail: true }) });
    const response = await moderator.moderate(['hateful', 'hateful 法轮功']);
    expect(response.results[0]).toMatchObject({ verdict: 'allow', degraded: true });
    expect(response.results[1]).toMatchObject({ verdict: 'block', decided_by: 'keyword' });
    expect(moderator.stats.modelErrors).toBe(1);
  });

  it('applies the category filter to model hits too', async () => {
    const moderator = await createModerator({ classifier: fakeClassifier() });
    const response = await moderator.moderate('hateful', { categories: ['A.1'] });
    expect(response.results[0]!.verdict).toBe('allow');
  });

  it('serves the bundled model by default', async () => {
    const moderator = await createModerator();
    expect(moderator.model).toBe('warden-fasttext');
    const texts = ['女人开车就是马路杀手', '今天的午饭很好吃'];
    const keywordsOnly = await moderator.moderate(texts, { classify: 'never' });
    expect(keywordsOnly.results.map((r) => r.verdict)).toEqual(['allow', 'allow']);
    const withModel = await moderator.moderate(texts, { classify: 'always' });
    expect(withModel.results[0]).toMatchObject({ decided_by: 'model' });
    expect(withModel.results[0]!.categories.map((c) => [c.id, c.source])).toEqual([['gender_discrimination', 'model']]);
    expect(withModel.results[1]!.verdict).toBe('allow');
    await moderator.close();
  });

  it('rejects a model whose labels are not warden categories', async () => {
    const model = { ...fakeClassifier(), categories: ['hate', 'toxicity'] };
    await expect(createModerator({ classifier: model })).rejects.toThrow(/unknown category toxicity/);
  });
});

describe('reloading lexicons', () => {
  it('swaps in new tables, and keeps the old ones when a file is broken', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'warden-reload-'));
    writeFileSync(join(dir, 'a.txt'), '# category: gambling\n# action: block\n赌球\n');
    const moderator = await createModerator({ lexiconDirs: [dir], classifier: false });
    const first = moderator.lexiconVersion;
    expect((await moderator.moderate('赌马')).results[0]!.verdict).toBe('allow');

    writeFileSync(join(dir, 'a.txt'), '# category: gambling\n# action: block\n赌球\n赌马\n');
    moderator.reloadLexicons();
    expect(moderator.lexiconVersion).not.toBe(first);
    expect((await moderator.moderate('赌马')).results[0]!.verdict).toBe('block');

    const second = moderator.lexiconVersion;
    writeFileSync(join(dir, 'b.txt'), '# category: nonsense\nx\n');
    expect(() => moderator.reloadLexicons()).toThrow(/b\.txt:1: unknown category/);
    expect(moderator.lexiconVersion).toBe(second);
    expect((await moderator.moderate('赌马')).results[0]!.verdict).toBe('block');
  });
});
