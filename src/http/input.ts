/** Reading and checking request bodies, shared by every route that takes texts. */
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { z } from 'zod';
import { RequestError } from './errors.js';

export interface AppLimits {
  /** Largest request body in bytes. */
  readonly maxBodyBytes: number;
  /** Largest text in code points. */
  readonly maxItemChars: number;
  /** Most texts per request. */
  readonly maxItems: number;
}

export const DEFAULT_LIMITS: AppLimits = { maxBodyBytes: 1024 * 1024, maxItemChars: 100_000, maxItems: 64 };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads a JSON body: 415 unless it is declared JSON, 400 unless it is valid UTF-8 JSON. */
export async function readJson(c: Context): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  const mediaType = type.split(';')[0]!.trim().toLowerCase();
  if (mediaType !== 'application/json' && !mediaType.endsWith('+json')) {
    throw new RequestError(415, 'unsupported_media_type', `expected Content-Type: application/json, got ${type === '' ? 'none' : JSON.stringify(type)}`);
  }
  let text: string;
  try {
    text = utf8.decode(await c.req.arrayBuffer());
  } catch {
    throw new RequestError(400, 'invalid_encoding', 'request body is not valid UTF-8');
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new RequestError(400, 'invalid_json', `request body is not valid JSON: ${(e as Error).message}`);
  }
}

/** Length in code points, without allocating, stopping once past `limit`. */
function exceedsCodePoints(text: string, limit: number): boolean {
  if (text.length <= limit) return false;
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    if (++count > limit) return true;
  }
  return false;
}

/** Parses a body against a schema: 400 naming each bad field. */
export async function readBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const parsed = schema.safeParse(await readJson(c));
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));
    throw new RequestError(400, 'invalid_request', details.map((d) => `${d.path}: ${d.message}`).join('; '), details);
  }
  return parsed.data;
}

/** 413 when a request holds too many texts or one that is too long. */
export function checkTexts(texts: readonly string[], limits: AppLimits, field = 'input'): void {
  if (texts.length > limits.maxItems) {
    throw new RequestError(413, 'too_many_items', `${field} holds ${texts.length} texts; the limit is ${limits.maxItems}`, { limit: limits.maxItems });
  }
  const tooLong = texts.findIndex((t) => exceedsCodePoints(t, limits.maxItemChars));
  if (tooLong >= 0) {
    throw new RequestError(413, 'item_too_large', `${field}[${tooLong}] exceeds ${limits.maxItemChars} characters`, {
      index: tooLong,
      limit: limits.maxItemChars,
    });
  }
}

/**
 * The body-size limit. With a Content-Length (what gateways send) it is one
 * header check: the Node HTTP parser holds the body to that length, and the
 * body is then read on @hono/node-server's fast path. Hono's own bodyLimit
 * touches `c.req.raw.body`, which makes the adapter build a full web Request
 * and stream per request (measured: about 4x fewer requests per second), so
 * it is used only for chunked bodies, whose size it counts as they stream.
 */
export function limitBody(maxBytes: number, tooLarge: (c: Context) => Response): MiddlewareHandler {
  const streaming = bodyLimit({ maxSize: maxBytes, onError: (c) => answerTooLarge(c, tooLarge) });
  return async (c, next) => {
    const length = c.req.header('content-length');
    if (length === undefined || c.req.header('transfer-encoding') !== undefined) return streaming(c, next);
    const bytes = Number(length);
    if (!Number.isSafeInteger(bytes) || bytes < 0) throw new RequestError(400, 'invalid_request', `invalid Content-Length: ${JSON.stringify(length)}`);
    if (bytes > maxBytes) return answerTooLarge(c, tooLarge);
    await next();
  };
}

function answerTooLarge(c: Context, tooLarge: (c: Context) => Response): Response {
  // The rest of the body is not read: tell the client this connection ends with the answer.
  c.header('Connection', 'close');
  return tooLarge(c);
}
