import { describe, expect, it } from 'vitest';
import type { ItemResult } from '../src/decide/decide.js';
import { toOpenAiResult } from '../src/format/openai.js';
import { tmsLabel, toTmsResult } from '../src/format/tms.js';
import { loadTaxonomy } from '../src/taxonomy/taxonomy.js';

const taxonomy = loadTaxonomy();

const flaggedByModel: ItemResult = {
  verdict: 'flag',
  decided_by: 'model',
  categories: [{ id: 'hate', code: 'A.2.9', group: 'A.2', verdict: 'flag', score: 0.81, source: 'model' }],
  matches: [],
};

describe('OpenAI shape', () => {
  it('carries model scores below threshold as scores, and only hits as flags', () => {
    const result = toOpenAiResult(
      flaggedByModel,
      [
        { category: 'hate', score: 0.81, action: 'flag' },
        { category: 'harassment', score: 0.3, action: 'allow' },
      ],
      taxonomy,
    );
    expect(result.flagged).toBe(true);
    expect(result.categories.hate).toBe(true);
    expect(result.categories['hate/threatening']).toBe(true); // the practical `hate` category maps to both
    expect(result.category_scores.hate).toBe(0.81);
    expect(result.categories.harassment).toBe(false);
    expect(result.category_scores.harassment).toBe(0.3);
    expect(result.category_scores.sexual).toBe(0);
  });
});

describe('Tencent TMS shape', () => {
  it('labels categories with the closest TMS label', () => {
    expect(tmsLabel('subversion', taxonomy)).toBe('Polity');
    expect(tmsLabel('sexual_minors', taxonomy)).toBe('Porn');
    expect(tmsLabel('terrorism_extremism', taxonomy)).toBe('Terror');
    expect(tmsLabel('drugs', taxonomy)).toBe('Illegal');
    expect(tmsLabel('gender_discrimination', taxonomy)).toBe('Abuse');
    expect(tmsLabel('spam_ads', taxonomy)).toBe('Ad');
    expect(tmsLabel('privacy', taxonomy)).toBe('Custom');
  });

  it('reports a model hit as Review with a Model hit and no keywords', () => {
    const tms = toTmsResult(flaggedByModel, taxonomy, { bizType: 'comment', dataId: 'd1' });
    expect(tms).toMatchObject({ Suggestion: 'Review', Label: 'Abuse', SubLabel: 'hate', Score: 81, Keywords: [], BizType: 'comment', DataId: 'd1' });
    expect(tms.DetailResults[0]).toMatchObject({ LibType: 1, HitInfos: [{ Type: 'Model', Positions: [] }] });
  });

  it('puts the strongest category first: block before flag, then by score', () => {
    const result: ItemResult = {
      verdict: 'block',
      decided_by: 'keyword',
      categories: [
        { id: 'harassment', code: 'A.4.3', group: 'A.4', verdict: 'flag', score: 1, source: 'keyword' },
        { id: 'drugs', code: 'A.1.8', group: 'A.1', verdict: 'block', score: 1, source: 'keyword' },
      ],
      matches: [
        { term: '冰毒', text: '冰 毒', start: 2, end: 5, category: 'drugs', action: 'block' },
        { term: '冰毒', text: '冰毒', start: 9, end: 11, category: 'drugs', action: 'block' },
        { term: '脑残', text: '脑残', start: 0, end: 2, category: 'harassment', action: 'flag' },
      ],
    };
    const tms = toTmsResult(result, taxonomy);
    expect(tms.Label).toBe('Illegal');
    expect(tms.DetailResults.map((d) => d.SubLabel)).toEqual(['drugs', 'harassment']);
    expect(tms.DetailResults[0]!.HitInfos).toEqual([
      { Type: 'Keyword', Keyword: '冰毒', LibName: 'warden', Positions: [{ Start: 2, End: 5 }, { Start: 9, End: 11 }] },
    ]);
    expect(tms.Keywords.sort()).toEqual(['冰毒', '脑残']);
  });
});
