/**
 * Operational middleware, in the order it runs (each O(1) per request):
 *   context   request id (X-Request-Id accepted or generated, echoed), request context for the audit log,
 *             access log, request metrics, drain tracking
 *   auth      Bearer API keys; 401 unless valid, 403 on /admin/* without the admin role
 *   rate      per-key (or per-address when unauthenticated) token bucket; 429 + Retry-After
 *   budget    per-request time budget; 503 `timeout` + Retry-After past it
 *   inflight  cap on concurrent work; 503 `overloaded` + Retry-After beyond it (no queueing)
 */
import { randomUUID } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import type { ApiKey, KeyStore } from '../../ops/keys.js';
import type { Metrics } from '../../ops/metrics.js';
import type { RateLimiter } from '../../ops/rateLimit.js';
import { errorResponse } from '../errors.js';

export interface RequestContext {
  readonly requestId: string;
  readonly route: string;
  key: ApiKey | null;
}

/**
 * The current request's context lives in Hono's context variables (not in an
 * AsyncLocalStorage: async hooks slowed every request by ~20%); routes pass
 * its ids on to the moderator as `ModerateOptions.trace`.
 */
const CONTEXT_KEY = 'wardenRequest';

function requestContextOf(c: Context): RequestContext | undefined {
  return c.get(CONTEXT_KEY as never) as RequestContext | undefined;
}

/** The identifiers recorded with what this request moderates (audit log, metrics). */
export function traceOf(c: Context): { requestId: string; route: string; keyId: string | null } | undefined {
  const ctx = requestContextOf(c);
  return ctx === undefined ? undefined : { requestId: ctx.requestId, route: ctx.route, keyId: ctx.key?.id ?? null };
}

/** Routes that answer about the process itself: no rate limit, no in-flight cap, no time budget. */
const PROBES = new Set(['/healthz', '/readyz', '/metrics']);
const REQUEST_ID = /^[\w.:@/+=-]{1,128}$/;

export interface OpsState {
  /** Requests being handled (all routes). */
  active: number;
  /** Work requests being handled (counted against MAX_IN_FLIGHT). */
  inFlight: number;
  /** SIGTERM received: answer with `Connection: close`, /readyz 503. */
  draining: boolean;
  /** Resolved whenever `active` drops to 0. */
  idle: (() => void)[];
}

export function newOpsState(): OpsState {
  return { active: 0, inFlight: 0, draining: false, idle: [] };
}

export interface OpsOptions {
  readonly state: OpsState;
  readonly log: Logger;
  readonly metrics: Metrics | null;
  readonly keys: KeyStore | null;
  readonly limiter: RateLimiter | null;
  readonly maxInFlight: number;
  readonly requestTimeoutMs: number;
  /** Labels for metrics: the app's route paths (others are counted as `other`). */
  readonly routes: () => ReadonlySet<string>;
}

function routeLabel(path: string, routes: ReadonlySet<string>): string {
  return routes.has(path) ? path : 'other';
}

export function opsMiddleware(o: OpsOptions): MiddlewareHandler[] {
  const { state, log, metrics, keys, limiter } = o;

  const context: MiddlewareHandler = async (c, next) => {
    const started = performance.now();
    const given = c.req.header('x-request-id');
    const requestId = given !== undefined && REQUEST_ID.test(given) ? given : randomUUID();
    const route = routeLabel(c.req.path, o.routes());
    const ctx: RequestContext = { requestId, route, key: null };
    c.set(CONTEXT_KEY as never, ctx as never);
    // Under Node the header goes straight onto the ServerResponse: Hono's c.header() builds a web
    // Headers object per request and, set after the handler, makes @hono/node-server materialise a
    // full web Response (measured: ~3x fewer requests/s). Elsewhere (app.request in tests) c.header().
    const outgoing = (c.env as { outgoing?: { setHeader(name: string, value: string): unknown } } | undefined)?.outgoing;
    const setHeader = (name: string, value: string): void => {
      if (outgoing !== undefined) outgoing.setHeader(name, value);
      else c.header(name, value);
    };
    setHeader('X-Request-Id', requestId);
    if (state.draining) setHeader('Connection', 'close');
    state.active++;
    try {
      await next();
    } finally {
      if (--state.active === 0 && state.idle.length > 0) for (const f of state.idle.splice(0)) f();
    }
    const status = c.res.status;
    const seconds = (performance.now() - started) / 1000;
    if (metrics !== null) {
      metrics.requests.inc({ route, method: c.req.method, status: String(status) });
      metrics.requestDuration.observe({ route }, seconds);
    }
    const entry = { req_id: requestId, method: c.req.method, path: c.req.path, status, ms: Math.round(seconds * 1e4) / 10, key: ctx.key?.id };
    if (status >= 500) log.error(entry, 'request failed');
    else log.debug(entry, 'request');
  };

  const refuse = (reason: string) => {
    metrics?.shed.inc({ reason });
  };

  const auth: MiddlewareHandler = async (c, next) => {
    if (keys === null || !keys.enabled || c.req.path === '/healthz') return next();
    const check = keys.check(c.req.header('authorization'));
    if (!check.ok) {
      refuse('unauthenticated');
      c.header('WWW-Authenticate', 'Bearer realm="warden"');
      const message =
        check.reason === 'missing' ? 'an API key is required: Authorization: Bearer <key>' : `the API key is ${check.reason === 'invalid' ? 'not valid' : check.reason}`;
      return errorResponse(c, 401, 'unauthorized', message, { reason: check.reason });
    }
    const ctx = requestContextOf(c);
    if (ctx !== undefined) ctx.key = check.key;
    if (c.req.path.startsWith('/admin/') && !check.key.roles.includes('admin')) {
      refuse('forbidden');
      return errorResponse(c, 403, 'forbidden', `key "${check.key.id}" lacks the admin role`, { key_id: check.key.id });
    }
    return next();
  };

  const rate: MiddlewareHandler = async (c, next) => {
    if (limiter === null || PROBES.has(c.req.path)) return next();
    const key = requestContextOf(c)?.key ?? null;
    const rps = key?.rps ?? limiter.rps;
    if (rps <= 0) return next();
    const client = key !== null ? `key:${key.id}` : `addr:${remoteAddress(c)}`;
    const taken = limiter.take(client, rps);
    if (!taken.ok) {
      refuse('rate_limited');
      c.header('Retry-After', String(taken.retryAfterSeconds));
      return errorResponse(c, 429, 'rate_limited', `rate limit of ${rps} requests/s exceeded`, { retry_after: taken.retryAfterSeconds });
    }
    return next();
  };

  const deadlines = new DeadlineBuckets();
  const budget: MiddlewareHandler = async (c, next) => {
    if (PROBES.has(c.req.path)) return next();
    const outcome = await Promise.race([next(), deadlines.after(o.requestTimeoutMs)]);
    if (outcome === LATE) {
      refuse('timeout');
      c.header('Retry-After', '1');
      return errorResponse(c, 503, 'timeout', `request exceeded its ${o.requestTimeoutMs} ms time budget`, { budget_ms: o.requestTimeoutMs });
    }
  };

  const inflight: MiddlewareHandler = async (c, next) => {
    if (PROBES.has(c.req.path)) return next();
    if (state.inFlight >= o.maxInFlight) {
      refuse('overloaded');
      c.header('Retry-After', '1');
      return errorResponse(c, 503, 'overloaded', `more than ${o.maxInFlight} requests in flight; retry shortly`, { limit: o.maxInFlight });
    }
    state.inFlight++;
    try {
      await next();
    } finally {
      state.inFlight--;
    }
  };

  return [context, auth, rate, budget, inflight];
}

const LATE = Symbol('late');

/**
 * Deadlines shared by the requests that fall due in the same 10 ms: one
 * timer per bucket rather than one per request (a timer per request cost
 * ~20% of throughput). A budget may run up to 10 ms long; it never runs short.
 */
class DeadlineBuckets {
  private readonly buckets = new Map<number, Promise<typeof LATE>>();

  after(ms: number): Promise<typeof LATE> {
    const due = Math.ceil((performance.now() + ms) / 10);
    let late = this.buckets.get(due);
    if (late === undefined) {
      late = new Promise<typeof LATE>((resolve) => {
        setTimeout(() => {
          this.buckets.delete(due);
          resolve(LATE);
        }, due * 10 - performance.now()).unref();
      });
      this.buckets.set(due, late);
    }
    return late;
  }
}

function remoteAddress(c: Context): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? 'unknown';
}
