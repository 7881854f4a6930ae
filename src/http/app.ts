/**
 * The HTTP API as a Hono app over a Moderator. Web-standard Request and
 * Response only; the Node adapter lives in server.ts.
 */
import { Hono, type MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ModerationInputError, type Moderator } from '../moderate.js';
import { toTmsResult } from '../format/tms.js';
import { errorResponse, RequestError } from './errors.js';
import { checkTexts, DEFAULT_LIMITS, limitBody, readBody, type AppLimits } from './input.js';
import { traceOf } from './middleware/ops.js';
import { OPENAI_PATH, openAiErrorFor, registerOpenAiRoutes } from './openai.js';
import { openApiDocument } from './openapi.js';
import { moderateRequestSchema } from './schema.js';

/** Operations hooks (server.ts): middleware run before every route, extra routes, readiness detail. */
export interface AppOps {
  readonly middleware?: readonly MiddlewareHandler[];
  readonly routes?: (app: Hono) => void;
  /** `ready: false` makes /readyz answer 503 (draining); `detail` is added to its body (last reload error). */
  readonly readiness?: () => { ready: boolean; detail?: Record<string, unknown> };
}

export function createApp(moderator: Moderator, limits: AppLimits = DEFAULT_LIMITS, version = '0.0.0', ops: AppOps = {}): Hono {
  const app = new Hono();
  const openApi = openApiDocument(version);
  for (const m of ops.middleware ?? []) app.use(m);

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', (c) => {
    const readiness = ops.readiness?.() ?? { ready: true };
    return c.json(
      {
        status: readiness.ready ? 'ready' : 'draining',
        lexicon_version: moderator.lexiconVersion,
        terms: moderator.tables.patternCount,
        model: moderator.model,
        ...readiness.detail,
      },
      readiness.ready ? 200 : 503,
    );
  });
  ops.routes?.(app);
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
    limitBody(limits.maxBodyBytes, (c) =>
      errorResponse(c, 413, 'body_too_large', `request body exceeds ${limits.maxBodyBytes} bytes`, { limit: limits.maxBodyBytes }),
    ),
    async (c) => {
      const request = await readBody(c, moderateRequestSchema);
      const texts = typeof request.input === 'string' ? [request.input] : request.input;
      checkTexts(texts, limits);
      const options = {
        direction: request.direction,
        categories: request.categories,
        classify: request.classify,
        policy: request.policy,
        trace: traceOf(c),
      };
      if (request.format === 'tms') {
        const response = await moderator.moderate(texts, options);
        const tms = response.results.map((r) => toTmsResult(r, moderator.taxonomy, { bizType: request.policy, dataId: response.id }));
        return c.json({ Response: { ...(typeof request.input === 'string' ? tms[0] : { Results: tms }), RequestId: response.id } });
      }
      return c.json(await moderator.moderate(texts, options));
    },
  );
  registerOpenAiRoutes(app, moderator, limits);

  app.on(['GET', 'PUT', 'PATCH', 'DELETE'], '/moderate', (c) => {
    c.header('Allow', 'POST');
    return errorResponse(c, 405, 'method_not_allowed', `${c.req.method} is not allowed on /moderate; use POST`);
  });

  app.notFound((c) => errorResponse(c, 404, 'not_found', `no route for ${c.req.method} ${c.req.path}`));
  app.onError((err, c) => {
    const openAi = c.req.path === OPENAI_PATH ? openAiErrorFor(c, err) : undefined;
    if (openAi !== undefined) return openAi;
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
