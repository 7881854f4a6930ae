/** Reads a V8 .cpuprofile (node --cpu-prof) and lists the functions with the most self time. */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT } from './paths.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface HotFunction {
  readonly name: string;
  readonly where: string;
  readonly selfMs: number;
  readonly selfPct: number;
}

export function topSelfTime(file: string, top = 25): { totalMs: number; rows: HotFunction[] } {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<string, { name: string; where: string; us: number }>();
  let total = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const n = byId.get(p.samples[i]!);
    const dt = p.timeDeltas[i + 1] ?? 0; // a sample's time is the delta to the next one
    if (!n) continue;
    total += dt;
    const f = n.callFrame;
    let where = f.url;
    if (where.startsWith('file://')) where = relative(ROOT, fileURLToPath(where));
    where = where ? `${where}:${f.lineNumber + 1}` : '(native)';
    const name = f.functionName || '(anonymous)';
    const key = `${name}@${where}`;
    const e = self.get(key) ?? { name, where, us: 0 };
    e.us += dt;
    self.set(key, e);
  }
  const rows = [...self.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, top)
    .map((e) => ({ name: e.name, where: e.where, selfMs: Math.round(e.us / 100) / 10, selfPct: Math.round((e.us / total) * 1000) / 10 }));
  return { totalMs: Math.round(total / 1000), rows };
}

export function renderTop(t: { totalMs: number; rows: HotFunction[] }): string {
  return [
    `| self % | self ms | function | where |`,
    `|---:|---:|---|---|`,
    ...t.rows.map((r) => `| ${r.selfPct.toFixed(1)} | ${r.selfMs.toFixed(0)} | ${r.name} | ${r.where} |`),
    '',
    `(${t.totalMs} ms sampled)`,
  ].join('\n');
}
