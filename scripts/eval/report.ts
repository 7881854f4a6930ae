/**
 * Model-quality report over held-out examples: per category x language (P/R/F1 at the flag
 * threshold, AUPRC) and the per-dataset headline numbers the targets are stated in.
 */
import type { Action } from '../../src/decide/types.js';
import { averagePrecision, fromCounts, metricsFromPredictions, type BinaryMetrics } from './metrics.js';

export interface Scored {
  readonly dataset: string;
  readonly lang: string;
  readonly original: string;
  /** Per category (MODEL_CATEGORIES order): 1, 0, or -1 when not supervised. */
  readonly labels: ArrayLike<number>;
  readonly scores: ArrayLike<number>;
  readonly actions: readonly Action[];
}

export interface CategoryReport extends BinaryMetrics {
  readonly auprc: number;
}

const round = (x: number): number => Math.round(x * 10000) / 10000;
const rounded = <T extends object>(m: T): T =>
  Object.fromEntries(Object.entries(m).map(([k, v]) => [k, typeof v === 'number' ? round(v) : v])) as T;

export function categoryReport(rows: readonly Scored[], c: number): CategoryReport | null {
  const sup = rows.filter((r) => r.labels[c]! >= 0);
  if (sup.length === 0 || !sup.some((r) => r.labels[c] === 1)) return null;
  const labels = sup.map((r) => r.labels[c]!);
  const m = metricsFromPredictions(sup.map((r) => r.actions[c] !== 'allow'), labels);
  return rounded({ ...m, auprc: averagePrecision(sup.map((r) => r.scores[c]!), labels) });
}

const macroF1 = (predicted: boolean[], labels: number[]): number => {
  const pos = metricsFromPredictions(predicted, labels).f1;
  const neg = metricsFromPredictions(predicted.map((p) => !p), labels.map((l) => 1 - l)).f1;
  return (pos + neg) / 2;
};

/** Headline numbers per dataset; `flagged(row, categoryIndexes)` says whether any of them is not 'allow'. */
export function datasetReport(rows: readonly Scored[], categories: readonly string[]): Record<string, unknown> {
  const idx = (c: string): number => categories.indexOf(c);
  const any = (r: Scored, cs: string[]): boolean => cs.some((c) => r.actions[idx(c)] !== 'allow');
  const maxScore = (r: Scored, cs: string[]): number => Math.max(...cs.map((c) => r.scores[idx(c)]!));
  const of = (d: string): Scored[] => rows.filter((r) => r.dataset === d);
  const offensiveCats = categories.filter((c) => c !== 'spam_ads');
  const out: Record<string, unknown> = {};

  const cold = of('cold');
  if (cold.length > 0) {
    const labels = cold.map((r) => (r.original.endsWith(':1') ? 1 : 0));
    const predicted = cold.map((r) => any(r, offensiveCats));
    out['cold'] = rounded({
      task: 'offensive vs safe (any harassment/hate/discrimination category flagged)',
      ...metricsFromPredictions(predicted, labels),
      macroF1: macroF1(predicted, labels),
      auprc: averagePrecision(cold.map((r) => maxScore(r, offensiveCats)), labels),
    });
    for (const topic of ['race', 'region', 'gender']) {
      const t = cold.filter((r) => r.original.startsWith(topic + ':'));
      const tl = t.map((r) => (r.original.endsWith(':1') ? 1 : 0));
      out[`cold/${topic}`] = rounded(metricsFromPredictions(t.map((r) => any(r, offensiveCats)), tl));
    }
  }
  const swsr = of('swsr');
  if (swsr.length > 0) {
    const labels = swsr.map((r) => Number(r.original === '1'));
    const predicted = swsr.map((r) => any(r, ['gender_discrimination']));
    out['swsr'] = rounded({ task: 'sexist (gender_discrimination flagged)', ...metricsFromPredictions(predicted, labels), macroF1: macroF1(predicted, labels) });
  }
  const davidson = of('davidson-hate-offensive');
  if (davidson.length > 0) {
    // 3 classes: hate if hate flagged, else offensive if harassment flagged, else neither.
    const predictedClass = davidson.map((r) => (any(r, ['hate']) ? '0' : any(r, ['harassment']) ? '1' : '2'));
    const perClass = ['0', '1', '2'].map((k) =>
      metricsFromPredictions(predictedClass.map((p) => p === k), davidson.map((r) => Number(r.original === k))),
    );
    const offensive = davidson.map((r) => Number(r.original !== '2'));
    const offPred = davidson.map((r) => any(r, ['hate', 'harassment']));
    out['davidson'] = rounded({
      task: '3-class hate / offensive / neither',
      n: davidson.length,
      accuracy: predictedClass.filter((p, i) => p === davidson[i]!.original).length / davidson.length,
      macroF1: perClass.reduce((s, m) => s + m.f1, 0) / 3,
      f1Hate: perClass[0]!.f1,
      f1Offensive: perClass[1]!.f1,
      f1Neither: perClass[2]!.f1,
      binaryOffensiveMacroF1: macroF1(offPred, offensive),
    });
  }
  const olid = of('olid');
  if (olid.length > 0) {
    const labels = olid.map((r) => Number(r.original === 'OFF'));
    const predicted = olid.map((r) => any(r, ['harassment', 'hate']));
    out['olid'] = rounded({ task: 'OFF vs NOT (harassment or hate flagged)', ...metricsFromPredictions(predicted, labels), macroF1: macroF1(predicted, labels) });
  }
  const tweeteval = of('tweeteval-hate');
  if (tweeteval.length > 0) {
    const labels = tweeteval.map((r) => Number(r.original === '1'));
    const predicted = tweeteval.map((r) => any(r, ['hate']));
    out['tweeteval-hate'] = rounded({ task: 'hate vs not (hate flagged)', ...metricsFromPredictions(predicted, labels), macroF1: macroF1(predicted, labels) });
  }
  const sms = of('sms-spam-uci');
  if (sms.length > 0) {
    const labels = sms.map((r) => Number(r.original === 'spam'));
    const predicted = sms.map((r) => any(r, ['spam_ads']));
    out['sms-spam'] = rounded({ task: 'spam vs ham (spam_ads flagged)', ...metricsFromPredictions(predicted, labels) });
  }
  return out;
}

export function categoryTable(rows: readonly Scored[], categories: readonly string[]): Record<string, Record<string, CategoryReport>> {
  const table: Record<string, Record<string, CategoryReport>> = {};
  categories.forEach((cat, c) => {
    table[cat] = {};
    for (const lang of ['all', 'zh', 'en']) {
      const r = categoryReport(lang === 'all' ? rows : rows.filter((x) => x.lang === lang), c);
      if (r !== null) table[cat]![lang] = r;
    }
  });
  return table;
}

export { fromCounts };
