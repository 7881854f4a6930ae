/**
 * Readers for ../shared/data (see each dataset's SOURCE.md). Each returns rows with warden
 * labels (via labelMapping.ts) and, where the dataset has one, its own split.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { csvRecords } from './csv.js';
import {
  mapCold,
  mapDavidson,
  mapOlid,
  mapSms,
  mapSwsr,
  mapTweetEvalHate,
  type RowLabels,
} from './labelMapping.js';

export type Lang = 'zh' | 'en';

export interface RawRow {
  readonly dataset: string;
  readonly lang: Lang;
  readonly text: string;
  readonly labels: RowLabels;
  /** The dataset's own label, kept for dataset-specific metrics (e.g. Davidson's 3 classes). */
  readonly original: string;
  /** 'heldout' when the dataset itself designates the row for evaluation (COLD dev). */
  readonly fixedSplit?: 'heldout';
}

export interface DatasetInfo {
  readonly id: string;
  readonly lang: Lang;
  readonly license: string;
  readonly source: string;
}

export const DATASETS: readonly DatasetInfo[] = [
  { id: 'cold', lang: 'zh', license: 'Apache-2.0', source: 'thu-coai/COLDataset @ a0c55a9 (train.csv; dev.csv held out)' },
  { id: 'swsr', lang: 'zh', license: 'MIT', source: 'aggiejiang/SWSR @ 7b32018 (SexComment.csv)' },
  { id: 'davidson-hate-offensive', lang: 'en', license: 'MIT', source: 't-davidson/hate-speech-and-offensive-language @ cb50f7e' },
  { id: 'olid', lang: 'en', license: 'CC-BY-4.0 (mirror repo licence)', source: 'OLID v1.0 training file' },
  { id: 'tweeteval-hate', lang: 'en', license: 'TweetEval: no restrictions stated', source: 'cardiffnlp/tweeteval @ 4fbd22c (hate train+val)' },
  { id: 'sms-spam-uci', lang: 'en', license: 'free, citation requested (corpus readme)', source: 'UCI SMS Spam Collection v.1' },
];

function rows(
  dataset: string,
  lang: Lang,
  items: Iterable<{ text: string | undefined; original: string; labels: RowLabels | null; fixedSplit?: 'heldout' }>,
): RawRow[] {
  const out: RawRow[] = [];
  for (const i of items) {
    if (i.labels === null || i.text === undefined || i.text.trim() === '') continue;
    out.push({ dataset, lang, text: i.text, labels: i.labels, original: i.original, ...(i.fixedSplit ? { fixedSplit: i.fixedSplit } : {}) });
  }
  return out;
}

const read = (dir: string, ...parts: string[]): string => readFileSync(join(dir, ...parts), 'utf8');

export function readCold(dataDir: string): RawRow[] {
  const load = (file: string, fixedSplit?: 'heldout') =>
    csvRecords(read(dataDir, 'cold', file)).map((r) => ({
      text: r['TEXT'],
      original: `${r['topic']}:${r['label']}`,
      labels: mapCold(r['topic'] ?? '', r['label'] ?? ''),
      ...(fixedSplit ? { fixedSplit } : {}),
    }));
  return rows('cold', 'zh', [...load('train.csv'), ...load('dev.csv', 'heldout')]);
}

export function readSwsr(dataDir: string): RawRow[] {
  return rows(
    'swsr',
    'zh',
    csvRecords(read(dataDir, 'swsr', 'SexComment.csv')).map((r) => ({
      text: r['comment_text'],
      original: r['label'] ?? '',
      labels: mapSwsr(r['label'] ?? ''),
    })),
  );
}

export function readDavidson(dataDir: string): RawRow[] {
  return rows(
    'davidson-hate-offensive',
    'en',
    csvRecords(read(dataDir, 'davidson-hate-offensive', 'labeled_data.csv')).map((r) => ({
      text: r['tweet'],
      original: r['class'] ?? '',
      labels: mapDavidson(r['class'] ?? ''),
    })),
  );
}

export function readOlid(dataDir: string): RawRow[] {
  // TSV with quoting disabled (SOURCE.md): split on tabs only.
  const lines = read(dataDir, 'olid', 'olid-training-v1.0.tsv').split(/\r?\n/).slice(1);
  return rows(
    'olid',
    'en',
    lines.map((line) => {
      const [, tweet, a] = line.split('\t');
      return { text: tweet, original: a ?? '', labels: mapOlid(a ?? '') };
    }),
  );
}

export function readTweetEvalHate(dataDir: string): RawRow[] {
  const load = (split: string) => {
    const texts = read(dataDir, 'tweeteval-hate', `${split}_text.txt`).split('\n');
    const labels = read(dataDir, 'tweeteval-hate', `${split}_labels.txt`).split('\n');
    return texts.map((text, i) => ({ text, original: (labels[i] ?? '').trim(), labels: mapTweetEvalHate((labels[i] ?? '').trim()) }));
  };
  return rows('tweeteval-hate', 'en', [...load('train'), ...load('val')]);
}

export function readSms(dataDir: string): RawRow[] {
  const lines = read(dataDir, 'sms-spam-uci', 'SMSSpamCollection').split(/\r?\n/);
  return rows(
    'sms-spam-uci',
    'en',
    lines.map((line) => {
      const tab = line.indexOf('\t');
      const label = line.slice(0, tab);
      return { text: line.slice(tab + 1), original: label, labels: tab < 0 ? null : mapSms(label) };
    }),
  );
}

export function readAllDatasets(dataDir: string): RawRow[] {
  return [readCold, readSwsr, readDavidson, readOlid, readTweetEvalHate, readSms].flatMap((f) => f(dataDir));
}
