/**
 * The HTTP API as a Hono app over a Moderator. Web-standard Request and
 * Response only; the Node adapter lives in server.ts.
 */
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ModerationInputError, type Moderator } from '../moderate.js';
import { errorResponse, RequestError } from './errors.js';
import { openApiDocument } from './openapi.js';
import { moderateRequestSchema } from './schema.js';

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
async function readJson(c: Context): Promise<unknown> {
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

export function createApp(moderator: Moderator, limits: AppLimits = DEFAULT_LIMITS, version = '0.0.0'): Hono {
  const app = new Hono();
  const openApi = openApiDocument(version);

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', (c) =>
    c.json({ status: 'ready', lexicon_version: moderator.lexiconVersion, terms: moderator.tables.patternCount, model: moderator.model }),
  );
  app.get('/openapi.json', (c) => c.json(openApi));

  app.get('/v1/categories', (c) => {
    const categories = moderator.categories();
    const groups = moderator.taxonomy.groups.map((g) => ({
      ...g,
      terms: categories.filter((x) => x.group === g.code).reduce((sum, x) => sum + x.terms, 0),
    }));
    return c.json({ lexicon_version: moderator.lexiconVersion, groups, categories });
  });

  app.post(
    '/moderate',
    bodyLimit({
      maxSize: limits.maxBodyBytes,
      onError: (c) => {
        // The rest of the body is not read: tell the client this connection ends with the answer.
        c.header('Connection', 'close');
        return errorResponse(c, 413, 'body_too_large', `request body exceeds ${limits.maxBodyBytes} bytes`, { limit: limits.maxBodyBytes });
      },
    }),
    async (c) => {
      const parsed = moderateRequestSchema.safeParse(await readJson(c));
      if (!parsed.success) {
        const details = parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));
        throw new RequestError(400, 'invalid_request', details.map((d) => `${d.path}: ${d.message}`).join('; '), details);
      }
      const request = parsed.data;
      const texts = typeof request.input === 'string' ? [request.input] : request.input;
      if (texts.length > limits.maxItems) {
        throw new RequestError(413, 'too_many_items', `input holds ${texts.length} texts; the limit is ${limits.maxItems}`, { limit: limits.maxItems });
      }
      const tooLong = texts.findIndex((t) => exceedsCodePoints(t, limits.maxItemChars));
      if (tooLong >= 0) {
        throw new RequestError(413, 'item_too_large', `input[${tooLong}] exceeds ${limits.maxItemChars} characters`, {
          index: tooLong,
          limit: limits.maxItemChars,
        });
      }
      const response = await moderator.moderate(texts, {
        direction: request.direction,
        categories: request.categories,
        classify: request.classify,
      });
      return c.json(response);
    },
  );
  app.on(['GET', 'PUT', 'PATCH', 'DELETE'], '/moderate', (c) => {
    c.header('Allow', 'POST');
    return errorResponse(c, 405, 'method_not_allowed', `${c.req.method} is not allowed on /moderate; use POST`);
  });

  app.notFound((c) => errorResponse(c, 404, 'not_found', `no route for ${c.req.method} ${c.req.path}`));
  app.onError((err, c) => {
    if (err instanceof RequestError) return errorResponse(c, err.status, err.code, err.message, err.details);
    if (err instanceof ModerationInputError) return errorResponse(c, 400, err.code, err.message, err.details);
    if (err instanceof HTTPException) {
      const status = err.status as ContentfulStatusCode;
      return errorResponse(c, status, 'http_error', err.message || 'request failed');
    }
    console.error(err);
    return errorResponse(c, 500, 'internal', 'internal error');
  });
  return app;
}
