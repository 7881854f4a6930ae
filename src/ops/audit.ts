/**
 * The audit log: an append-only record of every flag and block, as JSON lines.
 *
 * Durability contract ("acknowledged"): `append()` resolves only after the record's batch has been
 * written with one `write()` to a file opened O_APPEND and `fdatasync`ed. The HTTP layer sends a flag or
 * block answer only after that, so every answer a client received has its record on disk. Records are
 * batched for at most `flushMs` (default 2 ms) so that many concurrent requests share one fsync.
 *
 * Crash safety: a batch is one write of whole lines. A process killed in the middle of that write can leave
 * a partial last line; that batch was never acknowledged, and `repairAuditDir()` (run at start-up, and by
 * the cluster primary when a worker dies) truncates the file back to its last complete line.
 *
 * Files: `audit-<UTC time>.<pid>.<n>.jsonl` in the audit directory, one writer per process (so cluster workers
 * never interleave), rotated at `maxFileBytes`, deleted `retentionDays` after their last write.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, fsyncSync, readdirSync, statSync, ftruncateSync, readSync, unlinkSync, mkdirSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

export interface AuditRecord {
  readonly time: string;
  readonly request_id: string;
  readonly key_id: string | null;
  readonly route: string;
  readonly index: number;
  readonly direction: string | null;
  readonly verdict: string;
  readonly categories: readonly string[];
  readonly terms: readonly string[];
  readonly lexicon_version: string;
  readonly input_sha256: string;
  readonly text?: string;
}

export interface AuditOptions {
  readonly dir: string;
  readonly storeText: boolean;
  readonly flushMs: number;
  readonly maxFileBytes: number;
  readonly retentionDays: number;
}

/** `audit-<UTC time>.<pid>.<sequence>.jsonl` */
export const AUDIT_FILE = /^audit-[0-9TZ-]+\.(\d+)\.(\d+)\.jsonl$/;

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

interface Pending {
  readonly line: string;
  readonly resolve: () => void;
  readonly reject: (e: Error) => void;
}

export class AuditLog {
  private queue: Pending[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private file: FileHandle | null = null;
  private fileSize = 0;
  private fileSeq = 0;
  private closed = false;
  private retentionTimer: NodeJS.Timeout | null = null;
  /** Records acknowledged (durably written) since start. */
  written = 0;
  /** Write failures since start (each failed the requests of its batch). */
  failures = 0;
  currentPath: string | null = null;

  constructor(readonly options: AuditOptions) {
    mkdirSync(options.dir, { recursive: true });
    this.applyRetention();
    this.retentionTimer = setInterval(() => this.applyRetention(), 3600_000);
    this.retentionTimer.unref();
  }

  get storeText(): boolean {
    return this.options.storeText;
  }

  /** Queues a record; resolves once it is on disk (rejects if it could not be written). */
  append(record: AuditRecord): Promise<void> {
    if (this.closed) return Promise.reject(new Error('audit log is closed'));
    const line = JSON.stringify(record) + '\n';
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ line, resolve, reject });
      if (this.timer === null && this.flushing === null) this.schedule();
    });
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, this.options.flushMs);
  }

  /** Writes everything queued so far; one write + fdatasync per batch. */
  flush(): Promise<void> {
    if (this.flushing !== null) return this.flushing.then(() => (this.queue.length > 0 ? this.flush() : undefined));
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.queue.length === 0) return Promise.resolve();
    const batch = this.queue;
    this.queue = [];
    this.flushing = this.writeBatch(batch).finally(() => {
      this.flushing = null;
      if (this.queue.length > 0 && this.timer === null) this.schedule();
    });
    return this.flushing;
  }

  private async writeBatch(batch: Pending[]): Promise<void> {
    const data = Buffer.from(batch.map((p) => p.line).join(''), 'utf8');
    try {
      const file = await this.fileFor(data.length);
      let offset = 0;
      while (offset < data.length) {
        const { bytesWritten } = await file.write(data, offset, data.length - offset);
        offset += bytesWritten;
      }
      await file.datasync();
      this.fileSize += data.length;
      this.written += batch.length;
      for (const p of batch) p.resolve();
    } catch (e) {
      this.failures++;
      // The file may now end in a partial line: start a fresh file for the next batch.
      await this.closeFile().catch(() => undefined);
      for (const p of batch) p.reject(e as Error);
    }
  }

  private async fileFor(bytes: number): Promise<FileHandle> {
    if (this.file !== null && this.fileSize > 0 && this.fileSize + bytes > this.options.maxFileBytes) await this.closeFile();
    if (this.file === null) {
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const path = join(this.options.dir, `audit-${stamp}.${process.pid}.${this.fileSeq++}.jsonl`);
      this.file = await open(path, 'a', 0o640);
      this.fileSize = (await this.file.stat()).size;
      this.currentPath = path;
      // Make the new directory entry durable too.
      const dirFd = openSync(this.options.dir, 'r');
      try {
        fsyncSync(dirFd);
      } finally {
        closeSync(dirFd);
      }
    }
    return this.file;
  }

  private async closeFile(): Promise<void> {
    const f = this.file;
    this.file = null;
    this.currentPath = null;
    this.fileSize = 0;
    await f?.close();
  }

  /** Deletes audit files whose last write is older than the retention period. */
  applyRetention(now = Date.now()): string[] {
    if (this.options.retentionDays <= 0) return [];
    const cutoff = now - this.options.retentionDays * 86_400_000;
    const removed: string[] = [];
    for (const name of readdirSync(this.options.dir)) {
      if (!AUDIT_FILE.test(name)) continue;
      const path = join(this.options.dir, name);
      if (path === this.currentPath) continue;
      try {
        if (statSync(path).mtimeMs < cutoff) {
          unlinkSync(path);
          removed.push(path);
        }
      } catch {
        // gone already
      }
    }
    return removed;
  }

  /** Flushes what is queued and closes the file; later appends are refused. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    if (this.retentionTimer !== null) clearInterval(this.retentionTimer);
    await this.closeFile();
  }
}

/**
 * Truncates audit files that end in a partial line (a batch cut by a crash, never acknowledged) back to
 * their last complete line. `only(pid)`: only files written by these processes. Returns repaired paths.
 */
export function repairAuditDir(dir: string, only?: (pid: number) => boolean): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const repaired: string[] = [];
  for (const name of names) {
    const m = AUDIT_FILE.exec(name);
    if (m === null || (only !== undefined && !only(Number(m[1])))) continue;
    const path = join(dir, name);
    const fd = openSync(path, 'r+');
    try {
      const size = statSync(path).size;
      if (size === 0) continue;
      const last = Buffer.alloc(1);
      readSync(fd, last, 0, 1, size - 1);
      if (last[0] === 0x0a) continue;
      // Walk back in chunks to the last newline.
      const chunk = Buffer.alloc(64 * 1024);
      let end = size;
      let keep = 0;
      while (end > 0) {
        const start = Math.max(0, end - chunk.length);
        const n = readSync(fd, chunk, 0, end - start, start);
        const i = chunk.subarray(0, n).lastIndexOf(0x0a);
        if (i >= 0) {
          keep = start + i + 1;
          break;
        }
        end = start;
      }
      ftruncateSync(fd, keep);
      fsyncSync(fd);
      repaired.push(path);
    } finally {
      closeSync(fd);
    }
  }
  return repaired;
}
