/**
 * `warden serve`: one process (WORKERS=1) or a node:cluster primary with WORKERS workers sharing the port,
 * each with its own automaton. The primary holds no tables; it forks and restarts workers, relays reloads
 * (SIGHUP, POST /admin/reload on any worker) to every worker one at a time, gathers metrics, and on SIGTERM
 * asks every worker to drain and waits for them.
 *
 * Signals: SIGTERM/SIGINT drain and exit 0; SIGHUP reloads lexicons and the keys file.
 */
import cluster, { type Worker } from 'node:cluster';
import { isIP } from 'node:net';
import { AggregatorRegistry } from 'prom-client';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { ReloadOutcome } from './reload.js';
import { repairAuditDir } from './audit.js';

export function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1' || host === '[::1]') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface Msg {
  warden?: string;
  id?: string;
  trigger?: string;
  outcome?: ReloadOutcome;
  outcomes?: ReloadOutcome[];
  body?: string;
  error?: string;
}

let nextRequest = 0;

/**
 * In a worker: sends `{warden: kind, id, ...payload}` to the primary and resolves with its answer, the
 * message `{warden: replyKind, id}` carrying the same id.
 */
export function askPrimary(kind: string, replyKind: string, payload: Msg, timeoutMs: number): Promise<Msg> {
  const id = `${process.pid}:${nextRequest++}`;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      process.off('message', onMessage);
      reject(new Error(`cluster ${kind} timed out`));
    }, timeoutMs);
    const onMessage = (m: unknown) => {
      const msg = m as Msg;
      if (msg?.warden !== replyKind || msg.id !== id) return;
      clearTimeout(timer);
      process.off('message', onMessage);
      resolve(msg);
    };
    process.on('message', onMessage);
    process.send!({ ...payload, warden: kind, id });
  });
}

/** In a worker: asks the primary to reload every worker; resolves with one outcome per worker. */
export async function requestClusterReload(trigger: string): Promise<ReloadOutcome[]> {
  return (await askPrimary('reload-request', 'reload-done', { trigger }, 120_000)).outcomes ?? [];
}

/** Runs the service until a signal; resolves never (the process exits). */
export async function serve(config: Config, log: Logger): Promise<never> {
  if (config.WORKERS > 1 && cluster.isPrimary) return runPrimary(config, log);
  // A worker or a single process: the server itself. Imported lazily so the primary never loads tables.
  const { startServer } = await import('../server.js');
  const server = await startServer(config, log);
  const stop = (signal: string) => {
    log.info({ signal, in_flight: server.state.active, deadline_ms: config.DRAIN_TIMEOUT_MS }, 'draining');
    void server.shutdown(config.DRAIN_TIMEOUT_MS).then(({ drained }) => {
      log.info({ drained }, 'stopped');
      process.exit(0);
    });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  if (cluster.isWorker) {
    process.on('SIGHUP', () => {}); // the primary coordinates reloads
    process.on('message', (m: unknown) => {
      const msg = m as Msg;
      if (msg?.warden === 'shutdown') stop('shutdown');
      else if (msg?.warden === 'reload') {
        void server.reload(msg.trigger ?? 'cluster').then((outcome) => process.send?.({ warden: 'reload-result', id: msg.id, outcome }));
      }
    });
  } else {
    process.on('SIGHUP', () => void server.reload('SIGHUP'));
  }
  return new Promise<never>(() => {});
}

async function runPrimary(config: Config, log: Logger): Promise<never> {
  if (config.AUDIT_DIR !== undefined) {
    const repaired = repairAuditDir(config.AUDIT_DIR, (pid) => !processAlive(pid));
    if (repaired.length > 0) log.warn({ files: repaired }, 'audit files ended in a partial (unacknowledged) line; truncated');
  }
  const aggregator = new AggregatorRegistry();
  let shuttingDown = false;
  const workers = new Set<Worker>();
  let nextId = 0;

  const reloadOne = (w: Worker, trigger: string): Promise<ReloadOutcome> =>
    new Promise((resolve) => {
      const id = `primary:${nextId++}`;
      const onMessage = (m: unknown) => {
        const msg = m as Msg;
        if (msg?.warden !== 'reload-result' || msg.id !== id || msg.outcome === undefined) return;
        w.off('message', onMessage);
        resolve(msg.outcome);
      };
      w.on('message', onMessage);
      w.send({ warden: 'reload', id, trigger });
    });

  // Rolling: one worker compiles while the others serve.
  let reloading: Promise<ReloadOutcome[]> = Promise.resolve([]);
  const reloadAll = (trigger: string): Promise<ReloadOutcome[]> =>
    (reloading = reloading.then(async () => {
      const outcomes: ReloadOutcome[] = [];
      for (const w of [...workers]) if (w.isConnected()) outcomes.push(await reloadOne(w, trigger));
      log.info({ trigger, ok: outcomes.every((o) => o.ok), workers: outcomes.length, lexicon_version: outcomes[0]?.lexicon_version }, 'cluster reload');
      return outcomes;
    }));

  const fork = (): void => {
    const w = cluster.fork();
    workers.add(w);
    w.on('message', (m: unknown) => {
      const msg = m as Msg;
      if (msg?.warden === 'reload-request') {
        void reloadAll(msg.trigger ?? 'admin').then((outcomes) => w.send({ warden: 'reload-done', id: msg.id, outcomes }));
      } else if (msg?.warden === 'metrics-request') {
        aggregator.clusterMetrics().then(
          (body) => w.send({ warden: 'metrics-result', id: msg.id, body }),
          (e: Error) => w.send({ warden: 'metrics-result', id: msg.id, error: e.message }),
        );
      }
    });
    w.on('exit', (code, signal) => {
      workers.delete(w);
      const pid = w.process.pid;
      if (config.AUDIT_DIR !== undefined && pid !== undefined) repairAuditDir(config.AUDIT_DIR, (p) => p === pid);
      if (shuttingDown) return;
      log.error({ pid, code, signal }, 'worker exited; starting another');
      setTimeout(fork, 500);
    });
  };
  for (let i = 0; i < config.WORKERS; i++) fork();
  log.info({ workers: config.WORKERS, pid: process.pid }, 'cluster primary started');

  process.on('SIGHUP', () => void reloadAll('SIGHUP'));
  const stop = (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    log.info({ signal, workers: workers.size }, 'draining workers');
    for (const w of workers) if (w.isConnected()) w.send({ warden: 'shutdown' });
    const hardStop = setTimeout(() => {
      for (const w of workers) w.process.kill('SIGKILL');
      process.exit(1);
    }, config.DRAIN_TIMEOUT_MS + 5000);
    const check = () => {
      if (workers.size === 0) {
        clearTimeout(hardStop);
        log.info('all workers stopped');
        process.exit(0);
      }
    };
    cluster.on('exit', check);
    check();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  return new Promise<never>(() => {});
}
