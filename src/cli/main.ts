#!/usr/bin/env node
/**
 * The `warden` command:
 *   warden serve                      start the HTTP service (configured by environment, see README)
 *   warden check "text" [...]         moderate texts given as arguments, one JSON result per line
 *   warden scan FILE [--out FILE]     screen a corpus: JSONL ({"text": ...} per line) or plain lines
 *   warden keys create|hash           make an API key entry for API_KEYS_FILE
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.js';
import { LexiconError } from '../lexicon/parse.js';
import { createModerator, ModerationInputError, type ModerateOptions } from '../moderate.js';
import { createLogger } from '../server.js';
import { serve } from '../ops/cluster.js';
import { createKey, entryFor, KeysError, type Role } from '../ops/keys.js';
import { scanFile } from './scan.js';

const USAGE = `usage:
  warden serve                         start the HTTP service (PORT, HOST, LEXICON_DIRS, ... from the environment)
  warden check [options] TEXT...       moderate each TEXT, print one JSON result per line
  warden scan [options] FILE           screen a JSONL ({"text": ...}) or plain-text file, one JSON verdict per line
  warden keys create --id ID [--admin] [--days N]
                                       new random API key: the key on stderr, its API_KEYS_FILE entry on stdout
  warden keys hash --id ID [--admin] [--days N] KEY
                                       the API_KEYS_FILE entry for an existing KEY
options:
  --lexicons DIR[:DIR...]   lexicon directories (default: LEXICON_DIRS or the bundled lexicons)
  --categories ID[,ID...]   only these categories (ids, TC260 codes such as A.1.4, or groups such as A.2)
  --out FILE                scan: write verdicts to FILE instead of stdout
  --only-hits               scan: write only texts that were flagged or blocked
  -h, --help                this text`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      lexicons: { type: 'string' },
      categories: { type: 'string' },
      out: { type: 'string' },
      'only-hits': { type: 'boolean', default: false },
      id: { type: 'string' },
      admin: { type: 'boolean', default: false },
      days: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || command === undefined) {
    process.stdout.write(USAGE + '\n');
    return command === undefined && !values.help ? 2 : 0;
  }
  if (command === 'keys') {
    const [action, secret] = rest;
    if (!values.id) throw new UsageError('keys needs --id ID');
    const roles: Role[] = values.admin ? ['admin'] : [];
    const days = values.days === undefined ? undefined : Number(values.days);
    if (days !== undefined && !(days > 0)) throw new UsageError('--days must be a positive number');
    const expires = days === undefined ? undefined : new Date(Date.now() + days * 86_400_000);
    if (action === 'create') {
      const { key, entry } = createKey(values.id, roles, expires);
      process.stderr.write(`API key for "${values.id}" (shown once; store it now):\n${key}\n`);
      process.stdout.write(JSON.stringify(entry) + '\n');
      return 0;
    }
    if (action === 'hash' && secret !== undefined) {
      process.stdout.write(JSON.stringify(entryFor(values.id, secret, roles, expires)) + '\n');
      return 0;
    }
    throw new UsageError('usage: warden keys create --id ID | warden keys hash --id ID KEY');
  }
  const config = loadConfig();
  const lexiconDirs = values.lexicons ? values.lexicons.split(':').filter(Boolean) : config.LEXICON_DIRS;
  const moderatorOptions = { lexiconDirs, classifier: config.CLASSIFIER, modelDir: config.MODEL_DIR, modelTimeoutMs: config.MODEL_TIMEOUT_MS };
  const options: ModerateOptions = {
    categories: values.categories?.split(',').map((s) => s.trim()).filter(Boolean),
    classify: 'auto',
  };

  switch (command) {
    case 'serve':
      return serve(config, createLogger(config)); // serves until SIGTERM/SIGINT (see src/ops/cluster.ts)
    case 'check': {
      if (rest.length === 0) throw new UsageError('check needs at least one TEXT');
      const moderator = await createModerator(moderatorOptions);
      const response = await moderator.moderate(rest, options);
      for (const result of response.results) process.stdout.write(JSON.stringify(result) + '\n');
      return 0;
    }
    case 'scan': {
      if (rest.length !== 1) throw new UsageError('scan needs exactly one FILE');
      // Offline screening has no latency budget: give the model time rather than degrade.
      const moderator = await createModerator({ ...moderatorOptions, modelTimeoutMs: 10_000 });
      moderator.activeCategories(options.categories); // fail fast on unknown names
      await scanFile(moderator, rest[0]!, { out: values.out, onlyHits: values['only-hits'], moderate: options });
      return 0;
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

class UsageError extends Error {}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof UsageError || (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'))) {
      process.stderr.write(`warden: ${err.message}\n${USAGE}\n`);
      process.exit(2);
    }
    if (err instanceof ConfigError || err instanceof LexiconError || err instanceof ModerationInputError || err instanceof KeysError) {
      process.stderr.write(`warden: ${err.message}\n`);
      process.exit(1);
    }
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EADDRINUSE' || code === 'EACCES') {
      process.stderr.write(`warden: ${(err as Error).message}\n`);
      process.exit(1);
    }
    process.stderr.write(`warden: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
