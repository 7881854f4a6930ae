/**
 * Micro-batching: concurrent callers' items are collected for at most `maxWaitMs` (or until
 * `maxBatch` items are waiting) and sent to the model in one run; each caller gets back the
 * outputs of exactly its own items, in order.
 */
export interface MicroBatcherOptions {
  readonly maxBatch: number;
  /** 0 = flush after the current microtask queue (batches only calls made in the same tick). */
  readonly maxWaitMs: number;
}

interface Pending<I, O> {
  readonly items: readonly I[];
  readonly resolve: (outputs: O[]) => void;
  readonly reject: (err: unknown) => void;
}

export class MicroBatcher<I, O> {
  private pending: Pending<I, O>[] = [];
  private pendingItems = 0;
  private timer: NodeJS.Timeout | null = null;
  private scheduled = false;
  /** Number of model runs so far (for metrics and tests). */
  runs = 0;

  constructor(
    private readonly run: (items: I[]) => Promise<O[]>,
    private readonly options: MicroBatcherOptions,
  ) {}

  submit(items: readonly I[]): Promise<O[]> {
    if (items.length === 0) return Promise.resolve([]);
    return new Promise<O[]>((resolve, reject) => {
      this.pending.push({ items, resolve, reject });
      this.pendingItems += items.length;
      if (this.pendingItems >= this.options.maxBatch) this.flush();
      else this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    if (this.options.maxWaitMs <= 0) queueMicrotask(() => this.flush());
    else this.timer = setTimeout(() => this.flush(), this.options.maxWaitMs);
  }

  private flush(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.scheduled = false;
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    this.pendingItems = 0;
    this.runs++;
    const items = batch.flatMap((p) => p.items);
    this.run(items).then(
      (outputs) => {
        if (outputs.length !== items.length) {
          const err = new Error(`model returned ${outputs.length} outputs for ${items.length} inputs`);
          for (const p of batch) p.reject(err);
          return;
        }
        let offset = 0;
        for (const p of batch) {
          p.resolve(outputs.slice(offset, offset + p.items.length));
          offset += p.items.length;
        }
      },
      (err: unknown) => {
        for (const p of batch) p.reject(err);
      },
    );
  }

  /** Stops the timer; anything still pending is rejected. */
  close(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending;
    this.pending = [];
    this.pendingItems = 0;
    for (const p of batch) p.reject(new Error('classifier closed'));
  }
}
