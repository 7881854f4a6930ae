/** Token buckets per client (key id, or address when unauthenticated): O(1) per request. */

export interface Bucket {
  tokens: number;
  last: number;
}

export type TakeResult = { readonly ok: true } | { readonly ok: false; readonly retryAfterSeconds: number };

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  /**
   * @param rps tokens added per second (0: no limit)
   * @param burst bucket size (0: max(1, rps))
   * @param maxClients most buckets kept; past it, full (idle) buckets are dropped
   */
  constructor(
    readonly rps: number,
    readonly burst: number,
    private readonly maxClients = 10_000,
  ) {}

  get enabled(): boolean {
    return this.rps > 0;
  }

  /** Takes one token for `client` at rate `rps` (defaults to the limiter's). */
  take(client: string, rps = this.rps, now = performance.now()): TakeResult {
    if (rps <= 0) return { ok: true };
    const capacity = this.burst > 0 ? this.burst : Math.max(1, rps);
    let b = this.buckets.get(client);
    if (b === undefined) {
      if (this.buckets.size >= this.maxClients) this.prune(now, capacity, rps);
      b = { tokens: capacity, last: now };
      this.buckets.set(client, b);
    } else {
      b.tokens = Math.min(capacity, b.tokens + ((now - b.last) / 1000) * rps);
      b.last = now;
    }
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - b.tokens) / rps)) };
  }

  private prune(now: number, capacity: number, rps: number): void {
    for (const [k, b] of this.buckets) {
      if (b.tokens + ((now - b.last) / 1000) * rps >= capacity) this.buckets.delete(k);
    }
    // Still full of active clients: drop the oldest half rather than grow without bound.
    if (this.buckets.size >= this.maxClients) {
      let n = this.buckets.size / 2;
      for (const k of this.buckets.keys()) {
        if (n-- <= 0) break;
        this.buckets.delete(k);
      }
    }
  }
}
