/**
 * Hot reload of the keyword tables (and the keys file): on SIGHUP, POST /admin/reload, or lexicon file
 * changes (LEXICON_WATCH). Reloads are serialised and coalesced; the new tables are compiled while the old
 * ones keep serving and swapped in with one assignment (Moderator.reloadLexicons), so requests already
 * running finish on the tables they started with. A broken file leaves the old tables serving; the error is
 * kept for GET /admin/lexicons and /readyz.
 *
 * Compilation runs on a worker thread (compileWorker.ts): a 50k-term list takes up to ~1 s of CPU there,
 * while this thread keeps answering on the old tables; the compiled typed arrays are transferred back and
 * swapped in with one assignment. In cluster mode the primary also reloads workers one at a time.
 */
import { watch, type FSWatcher } from 'node:fs';
import type { Logger } from 'pino';
import type { Moderator } from '../moderate.js';
import { compileKeywordsOffThread } from './compileWorker.js';
import type { KeyStore } from './keys.js';

export interface ReloadOutcome {
  readonly ok: boolean;
  readonly trigger: string;
  readonly at: string;
  readonly duration_ms: number;
  readonly previous_version: string;
  readonly lexicon_version: string;
  readonly changed: boolean;
  readonly terms: number;
  readonly error?: string;
  readonly pid: number;
}

export class LexiconReloader {
  last: ReloadOutcome | null = null;
  private running: Promise<ReloadOutcome> | null = null;
  private queued: Promise<ReloadOutcome> | null = null;
  private watchers: FSWatcher[] = [];
  private watchTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly moderator: Moderator,
    private readonly log: Logger,
    private readonly keys: KeyStore | null = null,
    private readonly onOutcome: (o: ReloadOutcome) => void = () => {},
  ) {}

  /** Reloads now, or right after the reload in progress (concurrent calls share one). */
  reload(trigger: string): Promise<ReloadOutcome> {
    if (this.running === null) {
      this.running = this.run(trigger).finally(() => (this.running = null));
      return this.running;
    }
    if (this.queued === null) {
      this.queued = this.running.then(() => {
        this.queued = null;
        return this.reload(trigger);
      });
    }
    return this.queued;
  }

  private async run(trigger: string): Promise<ReloadOutcome> {
    const started = performance.now();
    const previous = this.moderator.lexiconVersion;
    let outcome: ReloadOutcome;
    try {
      this.keys?.reload();
      const next = this.moderator.swapKeywords(await compileKeywordsOffThread(this.moderator.lexiconDirs, this.moderator.maxMatches));
      outcome = {
        ok: true,
        trigger,
        at: new Date().toISOString(),
        duration_ms: Math.round(performance.now() - started),
        previous_version: previous,
        lexicon_version: next.version,
        changed: next.version !== previous,
        terms: next.tables.patternCount,
        pid: process.pid,
      };
      this.log.info(outcome, 'lexicons reloaded');
    } catch (e) {
      outcome = {
        ok: false,
        trigger,
        at: new Date().toISOString(),
        duration_ms: Math.round(performance.now() - started),
        previous_version: previous,
        lexicon_version: previous,
        changed: false,
        terms: this.moderator.tables.patternCount,
        error: (e as Error).message,
        pid: process.pid,
      };
      this.log.error(outcome, 'lexicon reload failed; the previous tables keep serving');
    }
    this.last = outcome;
    this.onOutcome(outcome);
    return outcome;
  }

  /** Reloads when a file under the lexicon directories changes (debounced). */
  watch(debounceMs = 300): void {
    for (const dir of this.moderator.lexiconDirs) {
      try {
        const w = watch(dir, { recursive: true }, () => {
          if (this.watchTimer !== null) clearTimeout(this.watchTimer);
          this.watchTimer = setTimeout(() => {
            this.watchTimer = null;
            void this.reload('watch');
          }, debounceMs);
        });
        w.on('error', (e) => this.log.warn({ dir, err: e.message }, 'lexicon watch failed'));
        this.watchers.push(w);
      } catch (e) {
        this.log.warn({ dir, err: (e as Error).message }, 'cannot watch lexicon directory');
      }
    }
  }

  close(): void {
    for (const w of this.watchers) w.close();
    this.watchers = [];
    if (this.watchTimer !== null) clearTimeout(this.watchTimer);
  }

  /** GET /admin/lexicons */
  describe(): unknown {
    const m = this.moderator;
    const categories: Record<string, number> = {};
    for (const [id, n] of m.tables.termCounts) categories[id] = n;
    return {
      lexicon_version: m.lexiconVersion,
      dirs: m.lexiconDirs,
      files: m.lexiconFiles,
      terms: m.tables.patternCount,
      allow_terms: m.tables.allowCount,
      categories,
      last_reload: this.last,
    };
  }
}
