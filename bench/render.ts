/**
 * Re-renders the markdown of a saved run without measuring again:
 *   npx tsx bench/render.ts [bench/results/<date>.json]   (default: today's) → stdout
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { machineLine, type MachineInfo } from './lib/machine.js';
import { RESULTS_DIR } from './lib/paths.js';
import { renderMatch, type MatchReport } from './match/report.js';
import { renderService, type ServiceReport } from './service/main.js';

const file = process.argv[2] ?? join(RESULTS_DIR, `${new Date().toISOString().slice(0, 10)}.json`);
const r = JSON.parse(readFileSync(file, 'utf8')) as {
  date: string;
  quick: boolean;
  seconds: number;
  machine: MachineInfo;
  match: MatchReport | { skipped: string };
  service: ServiceReport | { skipped: string };
};
process.stdout.write(
  [
    `# warden benchmarks, ${r.date.slice(0, 10)}${r.quick ? ' (quick)' : ''}`,
    '',
    `Machine: ${machineLine(r.machine)}. Total ${r.seconds} s. Method: docs/BENCHMARKS.md.`,
    '',
    '## Matching',
    '',
    'skipped' in r.match ? `_${r.match.skipped}_` : renderMatch(r.match),
    '',
    '## Service (`POST /moderate`)',
    '',
    'skipped' in r.service ? `_${r.service.skipped}_` : renderService(r.service),
    '',
  ].join('\n'),
);
