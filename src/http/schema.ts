/**
 * The HTTP contract as zod schemas: requests are validated with them, the
 * OpenAPI document is generated from them, and tests check responses
 * against them.
 */
import { z } from 'zod';

export const moderateRequestSchema = z.strictObject({
  input: z
    .union([z.string(), z.array(z.string()).min(1, 'input must hold at least one text')])
    .describe('One text, or a batch of texts (1 to MAX_ITEMS, default 64).'),
  direction: z.enum(['input', 'output']).optional().describe("Whose text: a user's input or a model's output."),
  categories: z
    .array(z.string().min(1))
    .max(256)
    .optional()
    .describe('Only these categories: ids, TC260 risk codes (A.1.4) or group codes (A.2). Default: all.'),
  classify: z
    .enum(['auto', 'always', 'never'])
    .optional()
    .describe('auto (default): ask the model unless a keyword already blocked.'),
  policy: z
    .string()
    .regex(/^[A-Za-z0-9_]{1,64}$/, 'a policy name: 1-64 characters [A-Za-z0-9_]')
    .optional()
    .describe('A named policy (scene) from POLICIES_FILE, e.g. chat_input, llm_output, comment. Default: the file\'s default.'),
  format: z
    .enum(['warden', 'tms'])
    .optional()
    .describe('warden (default), or tms: a Tencent Cloud TMS TextModeration-shaped answer.'),
});
export type ModerateRequest = z.infer<typeof moderateRequestSchema>;

const action = z.enum(['allow', 'flag', 'block']);
const hitAction = z.enum(['flag', 'block']);

export const matchSchema = z.object({
  term: z.string().describe('The lexicon term as written in its file.'),
  text: z.string().describe('Exactly the slice of the original input that matched, noise included.'),
  start: z.number().int().min(0).describe('Code-point offset into the original input, inclusive.'),
  end: z.number().int().min(0).describe('Code-point offset into the original input, exclusive.'),
  category: z.string(),
  action: hitAction,
});

export const categoryVerdictSchema = z.object({
  id: z.string(),
  code: z.string().describe('TC260-003 / GB/T 45654-2025 Appendix A risk code.'),
  group: z.string(),
  verdict: hitAction,
  score: z.number().min(0).max(1),
  source: z.enum(['keyword', 'model']),
});

export const itemResultSchema = z.object({
  verdict: action,
  decided_by: z.enum(['keyword', 'model', 'none']),
  categories: z.array(categoryVerdictSchema),
  matches: z.array(matchSchema),
  matches_truncated: z.literal(true).optional().describe('Present when more matches were found than listed (MAX_MATCHES_PER_ITEM).'),
  degraded: z.literal(true).optional().describe('Present when the model failed or ran out of time; the keyword verdict stands alone.'),
});

export const moderateResponseSchema = z.object({
  id: z.string(),
  lexicon_version: z.string(),
  model: z.string().nullable(),
  results: z.array(itemResultSchema).describe('One per input text, in order.'),
});

export const errorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

export const categoryInfoSchema = z.object({
  id: z.string(),
  code: z.string(),
  group: z.string(),
  kind: z.enum(['tc260', 'practical']),
  name: z.object({ zh: z.string(), en: z.string() }),
  openai: z.array(z.string()),
  keyword_table: z.boolean(),
  terms: z.number().int().min(0),
});

export const categoriesResponseSchema = z.object({
  lexicon_version: z.string(),
  groups: z.array(z.object({ code: z.string(), id: z.string(), name: z.object({ zh: z.string(), en: z.string() }), terms: z.number().int() })),
  categories: z.array(categoryInfoSchema),
});

const openAiFlags = z.record(z.string(), z.boolean());
export const openAiResponseSchema = z.object({
  id: z.string(),
  model: z.string(),
  results: z.array(
    z.object({
      flagged: z.boolean(),
      categories: openAiFlags.describe('All 13 OpenAI categories.'),
      category_scores: z.record(z.string(), z.number().min(0).max(1)),
      category_applied_input_types: z.record(z.string(), z.array(z.literal('text'))),
    }),
  ),
});

const tmsResult = z.object({
  Suggestion: z.enum(['Block', 'Review', 'Pass']),
  Label: z.string().describe('Normal, Polity, Porn, Terror, Illegal, Abuse, Ad or Custom.'),
  SubLabel: z.string().describe("warden's category id of the strongest hit."),
  Score: z.number().int().min(0).max(100),
  Keywords: z.array(z.string()),
  DetailResults: z.array(
    z.object({
      Label: z.string(),
      Suggestion: z.enum(['Block', 'Review', 'Pass']),
      Keywords: z.array(z.string()),
      Score: z.number().int().min(0).max(100),
      LibType: z.union([z.literal(1), z.literal(2)]),
      LibId: z.string(),
      LibName: z.string(),
      SubLabel: z.string(),
      HitInfos: z.array(
        z.object({
          Type: z.enum(['Keyword', 'Model']),
          Keyword: z.string(),
          LibName: z.string(),
          Positions: z.array(z.object({ Start: z.number().int(), End: z.number().int() })).describe('Code-point offsets, end exclusive.'),
        }),
      ),
    }),
  ),
  BizType: z.string(),
  DataId: z.string(),
});
export const tmsResponseSchema = z.object({
  Response: z.union([
    tmsResult.extend({ RequestId: z.string() }),
    z.object({ Results: z.array(tmsResult), RequestId: z.string() }),
  ]),
});
