/**
 * THE place where every dataset's labels become warden category ids.
 *
 * Each row supervises only the categories its dataset actually annotates; the others are
 * left out (masked in the loss) rather than guessed as negatives. For example a COLD
 * offensive row about gender says nothing about whether it is also an insult, so it does not
 * train `harassment`; a COLD *safe* row is safe in every respect, so it is a negative for all.
 */
export const MODEL_CATEGORIES = [
  'harassment',
  'hate',
  'gender_discrimination',
  'regional_discrimination',
  'ethnic_discrimination',
  'spam_ads',
] as const;

export type ModelCategory = (typeof MODEL_CATEGORIES)[number];

/**
 * The network's outputs ("heads"). English offensive/hate datasets define their labels differently
 * (Davidson "offensive language" is Twitter profanity, OLID OFF is any profanity or targeted
 * offence; Davidson "hate" is broad, HatEval is hate against immigrants and women), so each family
 * gets its own head with its own thresholds; a category's score is the maximum of its heads.
 */
export const MODEL_HEADS = [
  { name: 'harassment', category: 'harassment' },
  { name: 'harassment_olid', category: 'harassment' },
  { name: 'hate', category: 'hate' },
  { name: 'hate_hateval', category: 'hate' },
  { name: 'gender_discrimination', category: 'gender_discrimination' },
  { name: 'regional_discrimination', category: 'regional_discrimination' },
  { name: 'ethnic_discrimination', category: 'ethnic_discrimination' },
  { name: 'spam_ads', category: 'spam_ads' },
] as const satisfies readonly { name: string; category: ModelCategory }[];

export type ModelHead = (typeof MODEL_HEADS)[number]['name'];
/** 1 = positive, 0 = negative; a missing head is not supervised by this row. */
export type RowLabels = Partial<Record<ModelHead, 0 | 1>>;

const allNegative = (): RowLabels => Object.fromEntries(MODEL_HEADS.map((h) => [h.name, 0])) as RowLabels;

/**
 * Per-category labels from per-head labels (MODEL_HEADS order -> MODEL_CATEGORIES order): positive
 * if any head is, negative if some head is supervised and none is positive, else -1.
 */
export function categoryLabels(headLabels: ArrayLike<number>): Int8Array {
  return Int8Array.from(MODEL_CATEGORIES, (cat) => {
    let out = -1;
    MODEL_HEADS.forEach((h, i) => {
      if (h.category === cat) out = Math.max(out, headLabels[i]!);
    });
    return out;
  });
}

const COLD_TOPIC: Record<string, ModelCategory> = {
  region: 'regional_discrimination',
  gender: 'gender_discrimination',
  race: 'ethnic_discrimination',
};

/** COLD: label 1 (offensive) -> the topic's discrimination category; label 0 -> negative everywhere. */
export function mapCold(topic: string, label: string): RowLabels | null {
  const category = COLD_TOPIC[topic];
  if (category === undefined || (label !== '0' && label !== '1')) return null;
  if (label === '0') return allNegative();
  return {
    regional_discrimination: 0,
    gender_discrimination: 0,
    ethnic_discrimination: 0,
    spam_ads: 0,
    [category]: 1,
  };
}

/** SWSR: sexist -> gender_discrimination; non-sexist only says "not sexist" (and not spam). */
export function mapSwsr(label: string): RowLabels | null {
  if (label !== '0' && label !== '1') return null;
  return { gender_discrimination: label === '1' ? 1 : 0, spam_ads: 0 };
}

/**
 * Davidson (heads `harassment`, `hate`): 0 hate speech -> hate; 1 offensive language -> harassment
 * (insult/profanity), not hate (nor HatEval hate); 2 neither -> negative everywhere.
 */
export function mapDavidson(cls: string): RowLabels | null {
  if (cls === '0') return { hate: 1, spam_ads: 0 };
  if (cls === '1') return { harassment: 1, hate: 0, hate_hateval: 0, spam_ads: 0 };
  if (cls === '2') return allNegative();
  return null;
}

/** OLID subtask A (head `harassment_olid`): OFF -> harassment (hate unknown); NOT -> negative everywhere. */
export function mapOlid(subtaskA: string): RowLabels | null {
  if (subtaskA === 'OFF') return { harassment_olid: 1, spam_ads: 0 };
  if (subtaskA === 'NOT') return allNegative();
  return null;
}

/** TweetEval hate (head `hate_hateval`; HatEval: against immigrants and women): 1 -> hate; 0 -> not hate (may still be offensive). */
export function mapTweetEvalHate(label: string): RowLabels | null {
  if (label === '1') return { hate_hateval: 1, spam_ads: 0 };
  if (label === '0') return { hate_hateval: 0, hate: 0, spam_ads: 0 };
  return null;
}

/** SMS Spam Collection: spam -> spam_ads; ham -> negative everywhere. */
export function mapSms(label: string): RowLabels | null {
  if (label === 'spam') return { ...allNegative(), spam_ads: 1 };
  if (label === 'ham') return allNegative();
  return null;
}

/** Benign corpus lines used as extra negatives. */
export function mapBenign(): RowLabels {
  return allNegative();
}
