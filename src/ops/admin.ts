/** Operator routes: GET /metrics, POST /admin/reload, GET /admin/lexicons. */
import type { Hono } from 'hono';
import { errorResponse } from '../http/errors.js';
import type { Metrics } from './metrics.js';
import type { LexiconReloader, ReloadOutcome } from './reload.js';

export interface AdminOptions {
  readonly metrics: Metrics | null;
  readonly reloader: LexiconReloader;
  /** Reloads every process serving the port (one in single-process mode); one outcome each. */
  readonly reloadAll: (trigger: string) => Promise<ReloadOutcome[]>;
}

export function registerAdminRoutes(app: Hono, o: AdminOptions): void {
  if (o.metrics !== null) {
    const metrics = o.metrics;
    app.get('/metrics', async (c) => {
      const { contentType, body } = await metrics.render();
      return c.body(body, 200, { 'Content-Type': contentType });
    });
  }
  app.post('/admin/reload', async (c) => {
    const outcomes = await o.reloadAll('admin');
    const failed = outcomes.filter((x) => !x.ok);
    if (failed.length > 0) {
      return errorResponse(c, 422, 'reload_failed', `lexicon reload failed; the previous tables keep serving: ${failed[0]!.error}`, {
        lexicon_version: failed[0]!.lexicon_version,
        outcomes,
      });
    }
    return c.json({ ok: true, lexicon_version: outcomes[0]?.lexicon_version, workers: outcomes.length, outcomes });
  });
  app.get('/admin/lexicons', (c) => c.json(o.reloader.describe() as object));
}
