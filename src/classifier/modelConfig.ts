/**
 * model.json (warden's own layout) and the label map of a bring-your-own Hugging Face model,
 * validated with zod so a wrong file fails at start-up with a message naming the bad field.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';

export const thresholdSchema = z
  .object({
    /** Scores at or above this are flagged. */
    flag: z.number().min(0).max(1.0001),
    /** Scores at or above this are blocked (above 1 means "never block"). */
    block: z.number().min(0).max(1.0001),
  })
  .refine((t) => t.block >= t.flag, { message: 'block threshold must be >= flag threshold' });

export type Thresholds = z.infer<typeof thresholdSchema>;

const featurizerSchema = z.object({
  buckets: z.number().int().positive(),
  cjkMaxN: z.number().int().min(1).max(6),
  latinCharMinN: z.number().int().min(1),
  latinCharMaxN: z.number().int().min(1),
  wordBigrams: z.boolean(),
  windowChars: z.number().int().positive(),
  windowStride: z.number().int().positive(),
  maxIdsPerWindow: z.number().int().positive(),
});

export const modelJsonSchema = z
  .object({
    format: z.literal('warden-fasttext'),
    version: z.literal(1),
    name: z.string().min(1),
    labels: z.array(z.string().min(1)).min(1),
    /**
     * The network's outputs, when they are not simply one per label: each head scores one category
     * (`labels` entry); a category scores as its highest head and takes its strictest head's action.
     * Thresholds are then keyed by head name.
     */
    heads: z.array(z.object({ name: z.string().min(1), category: z.string().min(1) })).min(1).optional(),
    featurizer: featurizerSchema,
    onnx: z.object({
      file: z.string().min(1),
      inputs: z.object({ ids: z.string(), weights: z.string() }),
      output: z.string(),
    }),
    thresholds: z.record(z.string(), thresholdSchema),
    /**
     * Per-language thresholds (language from `profileText`): a category listed here for the text's
     * language overrides `thresholds`; anything not listed falls back to `thresholds`.
     */
    thresholdsByLanguage: z
      .object({ zh: z.record(z.string(), thresholdSchema).optional(), en: z.record(z.string(), thresholdSchema).optional() })
      .optional(),
    /**
     * Minimum evidence: a text with fewer than `units` content units (CJK characters + Latin words)
     * is never blocked by the model, and flagged only when a score reaches both its flag threshold
     * and `flag`. Absent: no such rule.
     */
    minEvidence: z.object({ units: z.number().int().min(1), flag: z.number().min(0).max(1.0001) }).optional(),
    /** Texts with the scores the training-time TypeScript forward pass gave them (checked by tests). */
    selfCheck: z.array(z.object({ text: z.string(), scores: z.array(z.number()) })).optional(),
    // Provenance and metrics are free-form for humans; serving does not read them.
    training: z.record(z.string(), z.unknown()).optional(),
    metrics: z.record(z.string(), z.unknown()).optional(),
  })
  .superRefine((m, ctx) => {
    const outputs = m.heads?.map((h) => h.name) ?? m.labels;
    const kind = m.heads ? 'head' : 'label';
    for (const name of outputs) {
      if (!(name in m.thresholds)) {
        ctx.addIssue({ code: 'custom', path: ['thresholds', name], message: `no thresholds for ${kind} "${name}"` });
      }
    }
    for (const [i, h] of (m.heads ?? []).entries()) {
      if (!m.labels.includes(h.category)) {
        ctx.addIssue({ code: 'custom', path: ['heads', i, 'category'], message: `"${h.category}" is not a label of this model` });
      }
    }
    for (const label of m.labels) {
      if (m.heads && !m.heads.some((h) => h.category === label)) {
        ctx.addIssue({ code: 'custom', path: ['heads'], message: `no head scores label "${label}"` });
      }
    }
    for (const [lang, table] of Object.entries(m.thresholdsByLanguage ?? {})) {
      for (const name of Object.keys(table ?? {})) {
        if (!outputs.includes(name)) {
          ctx.addIssue({ code: 'custom', path: ['thresholdsByLanguage', lang, name], message: `"${name}" is not a ${kind} of this model` });
        }
      }
    }
    if (m.featurizer.windowStride > m.featurizer.windowChars) {
      ctx.addIssue({ code: 'custom', path: ['featurizer', 'windowStride'], message: 'windowStride must be <= windowChars' });
    }
  });

export type ModelJson = z.infer<typeof modelJsonSchema>;

/**
 * Label map for a Hugging Face model: which of the model's labels (config.json id2label) mean
 * which warden category, and the thresholds per category.
 */
export const labelMapSchema = z
  .object({
    format: z.literal('warden-label-map'),
    name: z.string().min(1).optional(),
    /** model label -> warden category id, or null to ignore that label (e.g. "neutral"). */
    labels: z.record(z.string(), z.string().min(1).nullable()),
    /** sigmoid for multi-label heads, softmax for single-label heads. Default: from config.json problem_type. */
    activation: z.enum(['sigmoid', 'softmax']).optional(),
    /** Which text the model was trained on: warden's normalised text (default) or the raw input. */
    input: z.enum(['normalized', 'raw']).default('normalized'),
    maxTokens: z.number().int().positive().default(512),
    windowChars: z.number().int().positive().default(256),
    windowStride: z.number().int().positive().default(192),
    thresholds: z.record(z.string(), thresholdSchema),
  })
  .superRefine((m, ctx) => {
    const categories = new Set(Object.values(m.labels).filter((c): c is string => c !== null));
    if (categories.size === 0) ctx.addIssue({ code: 'custom', path: ['labels'], message: 'maps no label to a category' });
    for (const c of categories) {
      if (!(c in m.thresholds)) ctx.addIssue({ code: 'custom', path: ['thresholds', c], message: `no thresholds for category "${c}"` });
    }
  });

export type LabelMap = z.infer<typeof labelMapSchema>;

export class ModelConfigError extends Error {
  override readonly name = 'ModelConfigError';
}

/** Parses JSON text against a schema, throwing an error that names the file and every bad field. */
export function parseConfig<T>(schema: z.ZodType<T>, text: string, file: string): T {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ModelConfigError(`${file}: not valid JSON (${(err as Error).message})`);
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    const details = result.error.issues
      .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`)
      .join('; ');
    throw new ModelConfigError(`${file}: invalid (${details})`);
  }
  return result.data;
}

export async function readConfig<T>(schema: z.ZodType<T>, file: string): Promise<T> {
  return parseConfig(schema, await readFile(file, 'utf8'), file);
}
