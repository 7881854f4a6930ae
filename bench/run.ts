/**
 * `npm run bench`: the matching benchmark, then the service benchmark, in
 * one run on one machine. Writes bench/results/<YYYY-MM-DD>.json (raw numbers
 * and machine info) and bench/results/latest.md, and prints the markdown.
 *
 *   node dist/bench/bench/run.js [--quick] [--no-match] [--no-service]
 *
 * Expects dist/ to be fresh (`npm run bench` builds first).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { machineInfo, machineLine } from './lib/machine.js';
import { RESULTS_DIR, ROOT } from './lib/paths.js';
import { parseMatchArgs, runMatchBench, today } from './match/main.js';
import { renderMatch } from './match/report.js';
import { parseServiceArgs, renderService, runServiceBench } from './service/main.js';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const quick = argv.includes('--quick');
  const machine = machineInfo();
  const started = Date.now();
  const log = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };
  log(`bench on ${machineLine(machine)}${quick ? ' (quick)' : ''}`);
  const match = argv.includes('--no-match') ? { skipped: 'skipped: --no-match' } : await runMatchBench({ ...parseMatchArgs(argv), log });
  const service = argv.includes('--no-service') ? { skipped: 'skipped: --no-service' } : await runServiceBench({ ...parseServiceArgs(argv), log });
  const seconds = Math.round((Date.now() - started) / 1000);

  const md = [
    `# warden benchmarks, ${today()}${quick ? ' (quick)' : ''}`,
    '',
    `Machine: ${machineLine(machine)}. Total ${seconds} s. Method: docs/BENCHMARKS.md.`,
    '',
    '## Matching',
    '',
    'skipped' in match ? `_${match.skipped}_` : renderMatch(match),
    '',
    '## Service (`POST /moderate`)',
    '',
    'skipped' in service ? `_${service.skipped}_` : renderService(service),
  ].join('\n');

  mkdirSync(RESULTS_DIR, { recursive: true });
  const stamp = today();
  const file = join(RESULTS_DIR, `${stamp}${quick ? '-quick' : ''}.json`);
  writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), quick, seconds, machine, match, service }, null, 1));
  writeFileSync(join(RESULTS_DIR, quick ? 'latest-quick.md' : 'latest.md'), `${md}\n`);
  process.stdout.write(`${md}\n`);
  log(`wrote ${file.replace(`${ROOT}/`, '')} and bench/results/${quick ? 'latest-quick.md' : 'latest.md'} (${seconds} s)`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
