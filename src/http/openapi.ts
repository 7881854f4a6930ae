/** GET /openapi.json: generated from the zod schemas in schema.ts, so it cannot drift from validation. */
import { z } from 'zod';
import { categoriesResponseSchema, errorSchema, moderateRequestSchema, moderateResponseSchema, openAiResponseSchema, tmsResponseSchema } from './schema.js';
import { openAiRequestSchema } from './openai.js';

const json = (schema: z.ZodType) => ({ 'application/json': { schema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) } });
const error = (description: string) => ({ description, content: json(errorSchema) });

export function openApiDocument(version: string): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'warden',
      version,
      description:
        'Self-hosted content moderation: evasion-aware keyword tables (TC260-003 / GB/T 45654-2025 Appendix A taxonomy) and a text classifier.',
    },
    paths: {
      '/moderate': {
        post: {
          summary: 'Moderate one text or a batch',
          requestBody: { required: true, content: json(moderateRequestSchema) },
          responses: {
            '200': {
              description: 'One result per input, in order. With "format": "tms", a Tencent TMS-shaped answer instead.',
              content: { 'application/json': { schema: { oneOf: [z.toJSONSchema(moderateResponseSchema), z.toJSONSchema(tmsResponseSchema)] } } },
            },
            '400': error('Invalid JSON, a schema violation, or an unknown category.'),
            '413': error('Body over MAX_BODY_BYTES, an item over MAX_ITEM_CHARS, or more than MAX_ITEMS items.'),
            '415': error('Content-Type is not application/json.'),
          },
        },
      },
      '/v1/moderations': {
        post: {
          summary: "OpenAI-compatible moderation (drop-in for OpenAI's /v1/moderations)",
          requestBody: { required: true, content: json(openAiRequestSchema) },
          responses: {
            '200': { description: 'One result per string input; one for an array of content parts.', content: json(openAiResponseSchema) },
            '400': { description: "OpenAI's error envelope: {error: {message, type, param, code}}." },
            '413': { description: "Limits exceeded, in OpenAI's error envelope." },
            '415': { description: "Not JSON, in OpenAI's error envelope." },
          },
        },
      },
      '/v1/categories': {
        get: {
          summary: 'The taxonomy with keyword-table term counts',
          responses: { '200': { description: 'Groups and categories.', content: json(categoriesResponseSchema) } },
        },
      },
      '/healthz': { get: { summary: 'The process is up', responses: { '200': { description: '{"status":"ok"}' } } } },
      '/readyz': {
        get: {
          summary: 'Lexicons (and the model, when enabled) are loaded',
          responses: { '200': { description: 'Ready.' }, '503': error('Not ready.') },
        },
      },
      '/openapi.json': { get: { summary: 'This document', responses: { '200': { description: 'OpenAPI 3.1' } } } },
    },
  };
}
