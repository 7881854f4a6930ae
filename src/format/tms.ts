/**
 * warden's answer in the shape of Tencent Cloud TMS TextModeration
 * (2020-12-29), so that gateways written against TMS keep their parsing code:
 * `Suggestion` Block/Review/Pass, `Label`, `SubLabel`, `Score` 0-100,
 * `Keywords`, and `DetailResults[].HitInfos[].Positions[{Start, End}]`
 * (code-point offsets, end exclusive). `SubLabel` carries warden's category id.
 */
import type { CategoryVerdict, ItemResult } from '../decide/decide.js';
import type { Action } from '../decide/types.js';
import type { Taxonomy } from '../taxonomy/taxonomy.js';

export type TmsSuggestion = 'Block' | 'Review' | 'Pass';
export type TmsLabel = 'Normal' | 'Polity' | 'Porn' | 'Terror' | 'Illegal' | 'Abuse' | 'Ad' | 'Custom';

export interface TmsHitInfo {
  Type: 'Keyword' | 'Model';
  Keyword: string;
  LibName: string;
  Positions: { Start: number; End: number }[];
}

export interface TmsDetailResult {
  Label: TmsLabel;
  Suggestion: TmsSuggestion;
  Keywords: string[];
  Score: number;
  LibType: 1 | 2;
  LibId: string;
  LibName: string;
  SubLabel: string;
  HitInfos: TmsHitInfo[];
}

export interface TmsResult {
  Suggestion: TmsSuggestion;
  Label: TmsLabel;
  SubLabel: string;
  Score: number;
  Keywords: string[];
  DetailResults: TmsDetailResult[];
  BizType: string;
  DataId: string;
}

const SUGGESTION: Record<Action, TmsSuggestion> = { block: 'Block', flag: 'Review', allow: 'Pass' };

/** TMS's label for a warden category: the closest of its fixed top-level labels. */
export function tmsLabel(category: string, taxonomy: Taxonomy): TmsLabel {
  const c = taxonomy.get(category);
  if (['sexual', 'sexual_minors', 'violence_obscenity'].includes(c.id)) return 'Porn';
  if (['terrorism_extremism', 'violence'].includes(c.id)) return 'Terror';
  if (['spam_ads', 'other_commercial_violation'].includes(c.id)) return 'Ad';
  if (['A.1.1', 'A.1.2', 'A.1.3', 'A.1.7'].includes(c.code)) return 'Polity';
  if (c.group === 'A.2' || ['harassment', 'defamation', 'honour_rights', 'ethnic_hatred', 'hate'].includes(c.id)) return 'Abuse';
  if (c.code === 'A.1.8' || c.id === 'self_harm') return 'Illegal';
  return 'Custom';
}

const SEVERITY: Record<Action, number> = { allow: 0, flag: 1, block: 2 };
const byStrength = (a: CategoryVerdict, b: CategoryVerdict): number => SEVERITY[b.verdict] - SEVERITY[a.verdict] || b.score - a.score;

export function toTmsResult(result: ItemResult, taxonomy: Taxonomy, options: { bizType?: string; dataId?: string } = {}): TmsResult {
  const details = [...result.categories].sort(byStrength).map((c): TmsDetailResult => {
    const matches = result.matches.filter((m) => m.category === c.id);
    const keywords = [...new Set(matches.map((m) => m.term))];
    const hitInfos: TmsHitInfo[] = keywords.map((keyword) => ({
      Type: 'Keyword',
      Keyword: keyword,
      LibName: 'warden',
      Positions: matches.filter((m) => m.term === keyword).map((m) => ({ Start: m.start, End: m.end })),
    }));
    if (c.source === 'model') hitInfos.push({ Type: 'Model', Keyword: '', LibName: '', Positions: [] });
    return {
      Label: tmsLabel(c.id, taxonomy),
      Suggestion: SUGGESTION[c.verdict],
      Keywords: keywords,
      Score: Math.round(c.score * 100),
      LibType: c.source === 'keyword' ? 2 : 1,
      LibId: c.source === 'keyword' ? 'warden-lexicon' : 'warden-model',
      LibName: c.source === 'keyword' ? 'warden lexicon' : 'warden model',
      SubLabel: c.id,
      HitInfos: hitInfos,
    };
  });
  const top = details[0];
  return {
    Suggestion: SUGGESTION[result.verdict],
    Label: top?.Label ?? 'Normal',
    SubLabel: top?.SubLabel ?? '',
    Score: top?.Score ?? 0,
    Keywords: [...new Set(result.matches.map((m) => m.term))],
    DetailResults: details,
    BizType: options.bizType ?? '',
    DataId: options.dataId ?? '',
  };
}
