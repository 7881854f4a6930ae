/**
 * The category taxonomy: the 31 risks of TC260-003 / GB/T 45654-2025
 * Appendix A in their 5 groups, plus the practical categories people filter
 * (each the child of one TC260 risk), cross-mapped to OpenAI's moderation
 * categories. The data lives in lexicons/taxonomy.json.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export const OPENAI_CATEGORIES = [
  'harassment',
  'harassment/threatening',
  'hate',
  'hate/threatening',
  'illicit',
  'illicit/violent',
  'self-harm',
  'self-harm/intent',
  'self-harm/instructions',
  'sexual',
  'sexual/minors',
  'violence',
  'violence/graphic',
] as const;
export type OpenAiCategory = (typeof OPENAI_CATEGORIES)[number];

const tc260Code = z.string().regex(/^A\.[1-5]\.[1-9]$/, 'a TC260 risk code such as A.1.4');
const localized = z.object({ zh: z.string().min(1), en: z.string().min(1) });

const categorySchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/, 'a snake_case id'),
  code: tc260Code,
  group: z.string().regex(/^A\.[1-5]$/),
  kind: z.enum(['tc260', 'practical']),
  name: localized,
  openai: z.array(z.enum(OPENAI_CATEGORIES)),
  keyword_table: z.boolean(),
});

const taxonomySchema = z
  .object({
    version: z.number().int(),
    source: z.string(),
    openai_categories: z.array(z.enum(OPENAI_CATEGORIES)),
    groups: z.array(z.object({ code: z.string().regex(/^A\.[1-5]$/), id: z.string(), name: localized })).length(5),
    categories: z.array(categorySchema),
  })
  .superRefine((t, ctx) => {
    const ids = new Set<string>();
    const tc260Codes = new Set<string>();
    for (const c of t.categories) {
      if (ids.has(c.id)) ctx.addIssue({ code: 'custom', message: `duplicate category id ${c.id}` });
      ids.add(c.id);
      if (!c.code.startsWith(c.group + '.')) ctx.addIssue({ code: 'custom', message: `${c.id}: code ${c.code} is not in group ${c.group}` });
      if (c.kind === 'tc260') {
        if (tc260Codes.has(c.code)) ctx.addIssue({ code: 'custom', message: `two TC260 categories for ${c.code}` });
        tc260Codes.add(c.code);
      }
    }
    for (const c of t.categories) {
      if (c.kind === 'practical' && !tc260Codes.has(c.code)) {
        ctx.addIssue({ code: 'custom', message: `${c.id}: parent risk ${c.code} is not defined` });
      }
    }
    if (tc260Codes.size !== 31) ctx.addIssue({ code: 'custom', message: `expected the 31 TC260 risks, found ${tc260Codes.size}` });
  });

export type Category = z.infer<typeof categorySchema>;
export type TaxonomyData = z.infer<typeof taxonomySchema>;

export class Taxonomy {
  readonly categories: readonly Category[];
  readonly groups: TaxonomyData['groups'];
  private readonly byId = new Map<string, Category>();
  private readonly byCode = new Map<string, Category>();

  constructor(data: TaxonomyData) {
    this.categories = data.categories;
    this.groups = data.groups;
    for (const c of data.categories) {
      this.byId.set(c.id, c);
      if (c.kind === 'tc260') this.byCode.set(c.code, c);
    }
  }

  /** A category by id, or by TC260 code (which names the risk itself). */
  resolve(idOrCode: string): Category | undefined {
    return this.byId.get(idOrCode) ?? this.byCode.get(idOrCode);
  }

  get(id: string): Category {
    const c = this.byId.get(id);
    if (!c) throw new Error(`unknown category ${id}`);
    return c;
  }

  /** The categories a filter names: an id, a TC260 risk code (with its practical children), or a group code. */
  expand(idOrCode: string): Category[] {
    if (/^A\.[1-5]$/.test(idOrCode)) return this.categories.filter((c) => c.group === idOrCode);
    const c = this.resolve(idOrCode);
    if (!c) return [];
    if (c.kind === 'tc260') return this.categories.filter((x) => x.code === c.code);
    return [c];
  }
}

export const BUNDLED_TAXONOMY_PATH = fileURLToPath(new URL('../../lexicons/taxonomy.json', import.meta.url));

export function parseTaxonomy(json: unknown): Taxonomy {
  const parsed = taxonomySchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(`invalid taxonomy: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return new Taxonomy(parsed.data);
}

let bundled: Taxonomy | undefined;

export function loadTaxonomy(path = BUNDLED_TAXONOMY_PATH): Taxonomy {
  if (path === BUNDLED_TAXONOMY_PATH && bundled) return bundled;
  const taxonomy = parseTaxonomy(JSON.parse(readFileSync(path, 'utf8')));
  if (path === BUNDLED_TAXONOMY_PATH) bundled = taxonomy;
  return taxonomy;
}
