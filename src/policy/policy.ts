/**
 * Per-scene policies (Tencent calls them BizType, Alibaba Service): named
 * rule sets in a JSON file that choose which categories are active, what
 * action a hit in a category gets, and the model's thresholds.
 *
 *   {
 *     "default": "default",
 *     "policies": {
 *       "llm_output": {
 *         "description": "model answers: stop A.1, send the rest to review",
 *         "categories": ["A.1", "A.2", "A.4"],        // optional: active categories (default all)
 *         "actions": { "A.1": "block", "*": "flag" },   // optional: action for any hit, by selector
 *         "thresholds": { "harassment": { "flag": 0.8, "block": 0.95 } },  // optional: model thresholds
 *         "classify": "auto"                            // optional: default for the request's `classify`
 *       }
 *     }
 *   }
 *
 * Selectors are a category id, a TC260 risk code (A.1.4, with its
 * sub-categories), a group code (A.1) or "*"; the most specific wins
 * (id > risk > group > *). Action "allow" switches a category off.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Action } from '../decide/types.js';
import type { Taxonomy } from '../taxonomy/taxonomy.js';

const action = z.enum(['allow', 'flag', 'block']);
const threshold = z
  .object({ flag: z.number().min(0).max(1.0001), block: z.number().min(0).max(1.0001) })
  .refine((t) => t.flag <= t.block, 'flag threshold must not exceed block threshold');

const policySchema = z.strictObject({
  description: z.string().optional(),
  categories: z.array(z.string().min(1)).optional(),
  actions: z.record(z.string().min(1), action).optional(),
  thresholds: z.record(z.string().min(1), threshold).optional(),
  classify: z.enum(['auto', 'always', 'never']).optional(),
});

const policyFileSchema = z.strictObject({
  default: z.string().min(1).optional(),
  policies: z.record(z.string().regex(/^[A-Za-z0-9_]{1,64}$/, 'policy names are 1-64 characters [A-Za-z0-9_]'), policySchema),
});

export type ClassifyDefault = 'auto' | 'always' | 'never';

export interface Policy {
  readonly name: string;
  readonly description?: string;
  /** Active category ids; null: all. */
  readonly active: ReadonlySet<string> | null;
  /** The action a hit in this category gets, when the policy sets one. */
  readonly actionFor: (category: string) => Action | undefined;
  /** Model thresholds that replace the model's own for this category. */
  readonly thresholds: ReadonlyMap<string, { flag: number; block: number }>;
  readonly classify?: ClassifyDefault;
}

export class PolicyError extends Error {
  override name = 'PolicyError';
}

export class PolicySet {
  constructor(
    private readonly byName: ReadonlyMap<string, Policy>,
    readonly defaultName: string | null,
  ) {}

  get names(): string[] {
    return [...this.byName.keys()];
  }

  get(name: string): Policy | undefined {
    return this.byName.get(name);
  }

  get default(): Policy | null {
    return this.defaultName === null ? null : this.byName.get(this.defaultName)!;
  }

  static empty(): PolicySet {
    return new PolicySet(new Map(), null);
  }
}

const SPECIFICITY = { id: 3, risk: 2, group: 1, any: 0 } as const;

function compilePolicy(name: string, raw: z.infer<typeof policySchema>, taxonomy: Taxonomy): Policy {
  const fail = (message: string): never => {
    throw new PolicyError(`policy "${name}": ${message}`);
  };
  const resolve = (selector: string): string[] => {
    const ids = taxonomy.expand(selector).map((c) => c.id);
    if (ids.length === 0) fail(`unknown category "${selector}"`);
    return ids;
  };
  const active = raw.categories ? new Set(raw.categories.flatMap(resolve)) : null;

  const actions = new Map<string, { action: Action; rank: number }>();
  let anyAction: Action | undefined;
  for (const [selector, act] of Object.entries(raw.actions ?? {})) {
    if (selector === '*') {
      anyAction = act;
      continue;
    }
    const rank = /^A\.[1-5]$/.test(selector) ? SPECIFICITY.group : /^A\.\d\.\d$/.test(selector) ? SPECIFICITY.risk : SPECIFICITY.id;
    for (const id of resolve(selector)) {
      const previous = actions.get(id);
      if (!previous || previous.rank < rank) actions.set(id, { action: act, rank });
    }
  }
  const thresholds = new Map<string, { flag: number; block: number }>();
  for (const [selector, t] of Object.entries(raw.thresholds ?? {})) for (const id of resolve(selector)) thresholds.set(id, t);

  return {
    name,
    description: raw.description,
    active,
    actionFor: (category) => actions.get(category)?.action ?? anyAction,
    thresholds,
    classify: raw.classify,
  };
}

export function parsePolicies(json: unknown, taxonomy: Taxonomy, source = 'policies'): PolicySet {
  const parsed = policyFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new PolicyError(`${source}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ')}`);
  }
  const byName = new Map<string, Policy>();
  for (const [name, raw] of Object.entries(parsed.data.policies)) byName.set(name, compilePolicy(name, raw, taxonomy));
  const defaultName = parsed.data.default ?? null;
  if (defaultName !== null && !byName.has(defaultName)) throw new PolicyError(`${source}: default policy "${defaultName}" is not defined`);
  return new PolicySet(byName, defaultName);
}

export const BUNDLED_POLICIES_PATH = fileURLToPath(new URL('../../lexicons/policies.json', import.meta.url));

export function loadPolicies(path: string, taxonomy: Taxonomy): PolicySet {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new PolicyError(`${path}: ${(e as Error).message}`);
  }
  return parsePolicies(json, taxonomy, path);
}
