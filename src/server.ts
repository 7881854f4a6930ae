/** The Node edge: builds the moderator from the configuration and serves the Hono app. */
import { createAdaptorServer } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { pino, type Logger } from 'pino';
import type { Config } from './config.js';
import { createApp } from './http/app.js';
import { createModerator, type Moderator } from './moderate.js';

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly moderator: Moderator;
  close(): Promise<void>;
}

export const PACKAGE_VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

export function createLogger(config: Pick<Config, 'LOG_LEVEL'>): Logger {
  return pino({ name: 'warden', level: config.LOG_LEVEL });
}

export async function startServer(config: Config, log: Logger = createLogger(config)): Promise<RunningServer> {
  const started = performance.now();
  const moderator = await createModerator({
    lexiconDirs: config.LEXICON_DIRS,
    classifier: config.CLASSIFIER,
    modelDir: config.MODEL_DIR,
    modelTimeoutMs: config.MODEL_TIMEOUT_MS,
    maxMatchesPerItem: config.MAX_MATCHES_PER_ITEM,
  });
  const app = createApp(
    moderator,
    { maxBodyBytes: config.MAX_BODY_BYTES, maxItemChars: config.MAX_ITEM_CHARS, maxItems: config.MAX_ITEMS },
    PACKAGE_VERSION,
  );
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, config.HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
  const url = `http://${host}:${port}`;
  log.info(
    {
      url,
      lexicon_version: moderator.lexiconVersion,
      terms: moderator.tables.patternCount,
      lexicon_files: moderator.lexiconFiles.length,
      model: moderator.model,
      startup_ms: Math.round(performance.now() - started),
    },
    'warden listening',
  );
  return {
    url,
    port,
    moderator,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }).then(() => moderator.close()),
  };
}
