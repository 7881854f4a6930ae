/**
 * POST /v1/moderations, compatible with OpenAI's moderation endpoint: a
 * gateway switches by changing its base URL. Errors on this route use
 * OpenAI's envelope `{"error": {"message", "type", "param", "code"}}`.
 */
import type { Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import { toOpenAiResult } from '../format/openai.js';
import { ModerationInputError, type Moderator } from '../moderate.js';
import { RequestError } from './errors.js';
import { checkTexts, limitBody, readBody, type AppLimits } from './input.js';
import { traceOf } from './middleware/ops.js';

export const OPENAI_PATH = '/v1/moderations';

const textPart = z.strictObject({ type: z.literal('text'), text: z.string() });
const imagePart = z.object({ type: z.literal('image_url') }).passthrough();

export const openAiRequestSchema = z.object({
  input: z
    .union([z.string(), z.array(z.string()).min(1), z.array(z.union([textPart, imagePart])).min(1)])
    .describe('A string, an array of strings (one result each), or an array of content parts (one result).'),
  model: z.string().max(256).optional().describe('Accepted for compatibility and echoed back.'),
});

function openAiError(c: Context, status: ContentfulStatusCode, message: string, code: string | null, param: string | null = null): Response {
  const type = status === 401 ? 'authentication_error' : status === 429 ? 'rate_limit_error' : status >= 500 ? 'server_error' : 'invalid_request_error';
  return c.json({ error: { message, type, param, code } }, status);
}

/** A request error in OpenAI's envelope (undefined for errors that are not the client's). */
export function openAiErrorFor(c: Context, err: Error): Response | undefined {
  if (err instanceof ModerationInputError) return openAiError(c, 400, err.message, err.code);
  if (!(err instanceof RequestError)) return undefined;
  // `param` names the field: the first schema issue's path, or what the check recorded.
  const details = err.details as { path?: string }[] | { param?: string } | undefined;
  const param = Array.isArray(details) ? (details[0]?.path ?? null) : (details?.param ?? null);
  return openAiError(c, err.status, err.message, err.code, param);
}

/** The texts of an OpenAI `input`: strings one result each; content parts one result, text only. */
function textsOf(input: z.infer<typeof openAiRequestSchema>['input']): string[] {
  if (typeof input === 'string') return [input];
  if (input.every((x): x is string => typeof x === 'string')) return input;
  const parts = input as (z.infer<typeof textPart> | z.infer<typeof imagePart>)[];
  const image = parts.findIndex((p) => p.type === 'image_url');
  if (image >= 0) {
    throw new RequestError(400, 'image_input_unsupported', 'warden moderates text only; image_url inputs are not supported', { param: `input[${image}]` });
  }
  return [parts.map((p) => (p as z.infer<typeof textPart>).text).join('\n')];
}

export function registerOpenAiRoutes(app: Hono, moderator: Moderator, limits: AppLimits): void {
  app.post(
    OPENAI_PATH,
    limitBody(limits.maxBodyBytes, (c) => openAiError(c, 413, `request body exceeds ${limits.maxBodyBytes} bytes`, 'body_too_large')),
    async (c) => {
      const request = await readBody(c, openAiRequestSchema);
      const texts = textsOf(request.input);
      checkTexts(texts, limits);
      const { response, modelScores } = await moderator.moderateDetailed(texts, { trace: traceOf(c) });
      return c.json({
        id: response.id,
        model: request.model ?? 'warden',
        results: response.results.map((r, i) => toOpenAiResult(r, modelScores[i] ?? null, moderator.taxonomy)),
      });
    },
  );
}
