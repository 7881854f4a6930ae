/** The Node edge: builds the moderator from the configuration and serves the Hono app. */
import { createAdaptorServer } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { pino, type Logger } from 'pino';
import cluster from 'node:cluster';
import { ConfigError, type Config } from './config.js';
import { createApp } from './http/app.js';
import { newOpsState, opsMiddleware, type OpsState } from './http/middleware/ops.js';
import { RequestError } from './http/errors.js';
import { createModerator, type Moderator } from './moderate.js';
import { registerAdminRoutes } from './ops/admin.js';
import { AuditLog, repairAuditDir, sha256, type AuditRecord } from './ops/audit.js';
import { KeyStore } from './ops/keys.js';
import { Metrics } from './ops/metrics.js';
import { RateLimiter } from './ops/rateLimit.js';
import { LexiconReloader, type ReloadOutcome } from './ops/reload.js';
import { isLoopback, processAlive, requestClusterReload } from './ops/cluster.js';

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly moderator: Moderator;
  readonly state: OpsState;
  readonly audit: AuditLog | null;
  readonly reloader: LexiconReloader;
  readonly keys: KeyStore | null;
  /** Reloads the lexicons (and keys file) of this process. */
  reload(trigger: string): Promise<ReloadOutcome>;
  /**
   * Graceful stop: refuses new connections, lets in-flight requests finish within `deadlineMs`, flushes the
   * audit log, closes the model. `drained: false` when the deadline cut requests off.
   */
  shutdown(deadlineMs: number): Promise<{ drained: boolean }>;
  /** Immediate stop (tests). */
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
  const keys = config.API_KEYS_FILE !== undefined || config.API_KEYS !== undefined ? new KeyStore(config.API_KEYS_FILE, config.API_KEYS) : null;
  if (keys === null && !isLoopback(config.HOST) && !config.ALLOW_UNAUTHENTICATED) {
    throw new ConfigError(
      `HOST=${config.HOST} is not a loopback address and no API keys are configured (API_KEYS_FILE or API_KEYS): ` +
        'refusing to serve unauthenticated to the network; set ALLOW_UNAUTHENTICATED=true to do so anyway',
    );
  }
  const moderator = await createModerator({
    lexiconDirs: config.LEXICON_DIRS,
    classifier: config.CLASSIFIER,
    modelDir: config.MODEL_DIR,
    policies: config.POLICIES_FILE,
    modelTimeoutMs: config.MODEL_TIMEOUT_MS,
    maxMatchesPerItem: config.MAX_MATCHES_PER_ITEM,
  });
  const state = newOpsState();
  const metrics = new Metrics(moderator, { inFlight: () => state.inFlight });
  metrics.shareWithCluster();
  moderator.observer = metrics;

  let audit: AuditLog | null = null;
  if (config.AUDIT_DIR !== undefined) {
    const repaired = repairAuditDir(config.AUDIT_DIR, (pid) => pid !== process.pid && !processAlive(pid));
    if (repaired.length > 0) log.warn({ files: repaired }, 'audit files ended in a partial (unacknowledged) line; truncated to the last complete record');
    audit = new AuditLog({
      dir: config.AUDIT_DIR,
      storeText: config.AUDIT_STORE_TEXT,
      flushMs: config.AUDIT_FLUSH_MS,
      maxFileBytes: config.AUDIT_MAX_FILE_BYTES,
      retentionDays: config.AUDIT_RETENTION_DAYS,
    });
  }

  // Every moderation the routes run (POST /moderate, /v1/moderations) passes here: metrics, then the audit
  // record of each flag and block, durably written before the answer is sent.
  moderator.afterModeration = async (texts, options, detailed) => {
    const trace = options.trace;
    const route = trace?.route ?? 'library';
    metrics.observeResponse(route, detailed.response);
    if (audit !== null) {
      const time = new Date().toISOString();
      const writes: Promise<void>[] = [];
      detailed.response.results.forEach((r, index) => {
        if (r.verdict === 'allow') return;
        const record: AuditRecord = {
          time,
          request_id: trace?.requestId ?? detailed.response.id,
          key_id: trace?.keyId ?? null,
          route,
          index,
          direction: options.direction ?? null,
          verdict: r.verdict,
          categories: r.categories.map((x) => x.id),
          terms: [...new Set(r.matches.map((m) => m.term))],
          lexicon_version: detailed.response.lexicon_version,
          input_sha256: sha256(texts[index]!),
          ...(audit!.storeText ? { text: texts[index]! } : {}),
        };
        writes.push(audit!.append(record));
      });
      if (writes.length > 0) {
        try {
          await Promise.all(writes);
          metrics.auditRecords.inc({ outcome: 'written' }, writes.length);
        } catch (e) {
          metrics.auditRecords.inc({ outcome: 'failed' }, writes.length);
          log.error({ err: (e as Error).message }, 'audit write failed; answering 503');
          throw new RequestError(503, 'audit_unavailable', 'the audit record could not be written; the answer is withheld', undefined);
        }
      }
    }
  };

  const reloader = new LexiconReloader(moderator, log, keys, (o) => metrics.reloads.inc({ outcome: o.ok ? 'ok' : 'failed' }));
  if (config.LEXICON_WATCH) reloader.watch();
  const reloadAll = (trigger: string): Promise<ReloadOutcome[]> =>
    cluster.isWorker && process.send !== undefined ? requestClusterReload(trigger) : reloader.reload(trigger).then((o) => [o]);

  const limiter = config.RATE_LIMIT_RPS > 0 || keys !== null ? new RateLimiter(config.RATE_LIMIT_RPS, config.RATE_LIMIT_BURST) : null;
  let routeSet: Set<string> | null = null;
  const app = createApp(
    moderator,
    { maxBodyBytes: config.MAX_BODY_BYTES, maxItemChars: config.MAX_ITEM_CHARS, maxItems: config.MAX_ITEMS },
    PACKAGE_VERSION,
    {
      middleware: opsMiddleware({
        state,
        log,
        metrics,
        keys,
        limiter,
        maxInFlight: config.MAX_IN_FLIGHT,
        requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
        routes: () => (routeSet ??= new Set(app.routes.map((r) => r.path).filter((p) => p !== '/*' && p !== '*'))),
      }),
      routes: (a) => registerAdminRoutes(a, { metrics, reloader, reloadAll }),
      readiness: () => ({
        ready: !state.draining,
        detail: reloader.last !== null && !reloader.last.ok ? { last_reload_error: reloader.last.error, last_reload_at: reloader.last.at } : {},
      }),
    },
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
  if (keys === null) {
    log.warn({ host: config.HOST }, isLoopback(config.HOST)
      ? 'no API keys configured: serving WITHOUT authentication, on the loopback interface only'
      : 'no API keys configured: serving WITHOUT authentication to the network (ALLOW_UNAUTHENTICATED=true)');
  }
  if (audit === null) log.warn('AUDIT_DIR is not set: flags and blocks are not recorded');
  log.info(
    {
      url,
      lexicon_version: moderator.lexiconVersion,
      terms: moderator.tables.patternCount,
      lexicon_files: moderator.lexiconFiles.length,
      model: moderator.model,
      auth: keys === null ? 'none' : `${keys.size} api keys`,
      audit_dir: config.AUDIT_DIR ?? null,
      startup_ms: Math.round(performance.now() - started),
    },
    'warden listening',
  );

  let stopping: Promise<{ drained: boolean }> | null = null;
  const finish = async () => {
    reloader.close();
    await audit?.close();
    await moderator.close();
  };
  const shutdown = (deadlineMs: number): Promise<{ drained: boolean }> =>
    (stopping ??= (async () => {
      const deadline = performance.now() + deadlineMs;
      state.draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      let drained = state.active === 0;
      if (!drained) {
        drained = await new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(false), deadlineMs);
          state.idle.push(() => {
            clearTimeout(timer);
            resolve(true);
          });
        });
      }
      // The last answers are still being written: their connections close after them (Connection: close).
      if (drained) {
        server.closeIdleConnections();
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([closed, new Promise<void>((r) => (timer = setTimeout(r, Math.max(0, deadline - performance.now()))))]);
        clearTimeout(timer);
      }
      server.closeAllConnections();
      await finish();
      return { drained };
    })());

  return {
    url,
    port,
    moderator,
    state,
    audit,
    reloader,
    keys,
    reload: (trigger) => reloader.reload(trigger),
    shutdown,
    close: () =>
      (stopping ??= new Promise<void>((resolve) => {
        state.draining = true;
        server.close(() => resolve());
        server.closeAllConnections();
      })
        .then(finish)
        .then(() => ({ drained: false }))).then(() => undefined),
  };
}
