/**
 * The pipeline: normalise → match → decide (keywords, then the model), as an
 * embeddable library. The HTTP server and the CLI are thin shells over it.
 */
import { randomUUID } from 'node:crypto';
import { DEFAULT_MODEL_DIR, loadClassifier } from './classifier/index.js';
import type { Classifier, CategoryScore } from './classifier/types.js';
import { decide, type ItemResult } from './decide/decide.js';
import { BUNDLED_LEXICON_DIR, type LexiconFile } from './lexicon/load.js';
import type { KeywordTables } from './match/keywords.js';
import { StageClock } from './match/keywords.js';
import { compileKeywords, type KeywordState } from './match/compile.js';
import { loadTaxonomy, type Category, type Taxonomy } from './taxonomy/taxonomy.js';
import { applyPolicyToScan, applyPolicyToScores } from './policy/apply.js';
import { BUNDLED_POLICIES_PATH, loadPolicies, PolicySet, type Policy } from './policy/policy.js';

export type Direction = 'input' | 'output';
export type ClassifyMode = 'auto' | 'always' | 'never';

export interface ModerateOptions {
  /** Whose text this is: a user's input or a model's output (recorded; policies may use it). */
  readonly direction?: Direction;
  /** Only these categories (ids, TC260 risk codes such as A.1.4, or group codes such as A.2); default all. */
  readonly categories?: readonly string[];
  /** auto (default): ask the model unless a keyword already blocked; always; never. */
  readonly classify?: ClassifyMode;
  /** A named policy (scene) from the policies file; default: the file's default policy. */
  readonly policy?: string;
  /** Who asked, recorded with audit records and metrics by the service (not used by the pipeline itself). */
  readonly trace?: { readonly requestId?: string; readonly route?: string; readonly keyId?: string | null };
}

/** A response plus what the compatibility formats need beyond it: every model score, per item. */
export interface DetailedModeration {
  readonly response: ModerationResponse;
  /** The model's scores for every category it knows (after the policy's thresholds), or null where it was not asked. */
  readonly modelScores: readonly (readonly CategoryScore[] | null)[];
  readonly policy: string | null;
}

export interface ModerationResponse {
  readonly id: string;
  readonly lexicon_version: string;
  readonly model: string | null;
  readonly results: ItemResult[];
}

export interface ModeratorOptions {
  /** Lexicon directories; later ones add to earlier ones. Default: the bundled `lexicons/`. */
  readonly lexiconDirs?: readonly string[];
  /**
   * The classifier consulted for texts the keywords did not block: true (default) loads the model in
   * `modelDir`, false serves keywords only, or pass a loaded Classifier.
   */
  readonly classifier?: boolean | Classifier;
  /** Model directory (warden's own layout or a Hugging Face export); default the bundled model. */
  readonly modelDir?: string;
  /** Time budget for the model per call, in ms (default 50). Past it the keyword verdict is returned, degraded. */
  readonly modelTimeoutMs?: number;
  /** Most matches listed per text (default 1000). */
  readonly maxMatchesPerItem?: number;
  /** Policies: a loaded PolicySet or a path to a policies JSON file. Default: the bundled `lexicons/policies.json`. */
  readonly policies?: PolicySet | string;
}

export interface CategoryInfo extends Category {
  /** Keyword-table terms (block and flag) in this category. */
  readonly terms: number;
}

/** A caller error (unknown category, bad input): the HTTP layer answers 400 with it. */
export class ModerationInputError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ModerationInputError';
  }
}

export interface ModeratorStats {
  /** Items answered without the model because it failed or ran out of time. */
  degraded: number;
  modelErrors: number;
  modelTimeouts: number;
}

export { compileKeywords, type KeywordState } from './match/compile.js';

/** Pipeline stages timed for metrics. */
export type Stage = 'normalize' | 'match' | 'model' | 'total';

/** Optional, cheap observer of the pipeline (metrics). Called synchronously; must not throw. */
export interface ModerationObserver {
  onStage(stage: Stage, seconds: number): void;
}

/**
 * Runs after every moderation, before its answer is returned (the service records metrics and writes
 * the audit log here). A rejection fails the call, so an answer that could not be recorded is not given.
 */
export type AfterModeration = (texts: readonly string[], options: ModerateOptions, detailed: DetailedModeration) => Promise<void> | void;

export class Moderator {
  /** Set by the service to time stages; null in the library by default. */
  observer: ModerationObserver | null = null;
  /** Set by the service to record what was moderated; null in the library by default. */
  afterModeration: AfterModeration | null = null;
  readonly stats: ModeratorStats = { degraded: 0, modelErrors: 0, modelTimeouts: 0 };

  constructor(
    readonly taxonomy: Taxonomy,
    private keywords: KeywordState,
    private readonly classifier: Classifier | null,
    private readonly modelTimeoutMs: number,
    private readonly maxMatchesPerItem?: number,
    readonly policies: PolicySet = PolicySet.empty(),
  ) {}

  get tables(): KeywordTables {
    return this.keywords.tables;
  }

  get lexiconVersion(): string {
    return this.keywords.version;
  }

  get lexiconFiles(): readonly LexiconFile[] {
    return this.keywords.files;
  }

  get lexiconDirs(): readonly string[] {
    return this.keywords.dirs;
  }

  /**
   * Recompiles the lexicons and swaps them in at once. Requests already
   * running finish on the tables they started with. On a broken file this
   * throws and the current tables keep serving.
   */
  reloadLexicons(dirs: readonly string[] = this.keywords.dirs): KeywordState {
    return this.swapKeywords(compileKeywords(dirs, this.taxonomy, this.maxMatchesPerItem));
  }

  /** Swaps in tables compiled elsewhere (e.g. on a worker thread, see ops/compileWorker.ts). */
  swapKeywords(next: KeywordState): KeywordState {
    this.keywords = next;
    return next;
  }

  get maxMatches(): number | undefined {
    return this.maxMatchesPerItem;
  }

  get model(): string | null {
    return this.classifier?.name ?? null;
  }

  categories(): CategoryInfo[] {
    return this.taxonomy.categories.map((c) => ({ ...c, terms: this.tables.termCounts.get(c.id) ?? 0 }));
  }

  /** Resolves a category filter into a set of category ids; throws ModerationInputError on unknown names. */
  activeCategories(filter: readonly string[] | undefined): ReadonlySet<string> | null {
    if (filter === undefined) return null;
    const active = new Set<string>();
    const unknown: string[] = [];
    for (const name of filter) {
      const expanded = this.taxonomy.expand(name);
      if (expanded.length === 0) unknown.push(name);
      for (const c of expanded) active.add(c.id);
    }
    if (unknown.length > 0) {
      throw new ModerationInputError('unknown_category', `unknown categories: ${unknown.join(', ')}`, {
        unknown,
        hint: 'use category ids, TC260 risk codes (A.1.4) or group codes (A.2) from GET /v1/categories',
      });
    }
    return active;
  }

  /** The named policy, the default one, or null when no policies are configured; throws ModerationInputError on an unknown name. */
  resolvePolicy(name: string | undefined): Policy | null {
    if (name === undefined) return this.policies.default;
    const policy = this.policies.get(name);
    if (!policy) {
      const known = this.policies.names;
      throw new ModerationInputError('unknown_policy', `unknown policy "${name}"; known policies: ${known.join(', ') || '(none configured)'}`, { known });
    }
    return policy;
  }

  /** Moderates one text or a batch; results are in input order. */
  async moderate(input: string | readonly string[], options: ModerateOptions = {}): Promise<ModerationResponse> {
    return (await this.moderateDetailed(input, options)).response;
  }

  /** Like moderate(), with every model score kept (for the OpenAI-compatible and TMS formats). */
  async moderateDetailed(input: string | readonly string[], options: ModerateOptions = {}): Promise<DetailedModeration> {
    const texts = typeof input === 'string' ? [input] : input;
    const policy = this.resolvePolicy(options.policy);
    const active = intersect(policy?.active ?? null, this.activeCategories(options.categories));
    const mode = options.classify ?? policy?.classify ?? 'auto';

    const observer = this.observer;
    const t0 = observer === null ? 0 : performance.now();
    const keywords = this.keywords; // one set of tables for the whole request, even if a reload lands meanwhile
    const clock = observer === null ? undefined : new StageClock();
    // The model reads the keyword path's normal form: keep it when the model may be asked, rather than normalise twice.
    const mayAskModel = this.classifier !== null && mode !== 'never';
    const normalizedTexts: string[] = [];
    const scans = texts.map((text) => {
      if (!mayAskModel) return applyPolicyToScan(keywords.tables.match(text, active, clock), policy);
      const { scan, normalized } = keywords.tables.matchKeepingText(text, active, clock);
      normalizedTexts.push(normalized);
      return applyPolicyToScan(scan, policy);
    });
    const t1 = observer === null ? 0 : performance.now();
    if (observer !== null && clock) {
      observer.onStage('normalize', clock.normalize / 1000);
      observer.onStage('match', clock.match / 1000);
    }
    const askModel = texts.map((_, i) => mayAskModel && (mode === 'always' || scans[i]!.strictest !== 'block'));
    const { scores, failed } = await this.scoreWithModel(texts, normalizedTexts, askModel);
    if (observer !== null && askModel.includes(true)) observer.onStage('model', (performance.now() - t1) / 1000);
    const modelScores = texts.map((_, i) => {
      const raw = scores?.[i];
      return raw ? applyPolicyToScores(raw, policy) : null;
    });

    const results = scans.map((scan, i) => {
      const result = decide(scan, modelScores[i] ?? null, this.taxonomy, active);
      return askModel[i] && failed ? { ...result, degraded: true as const } : result;
    });
    const response = { id: `modr-${randomUUID()}`, lexicon_version: keywords.version, model: this.model, results };
    observer?.onStage('total', (performance.now() - t0) / 1000);
    const detailed = { response, modelScores, policy: policy?.name ?? null };
    if (this.afterModeration !== null) await this.afterModeration(texts, options, detailed);
    return detailed;
  }

  /**
   * Asks the model about the texts that need it, within the time budget. A
   * model that fails or is late never fails the request: the caller gets
   * `failed` and answers from the keywords alone.
   */
  private async scoreWithModel(
    texts: readonly string[],
    normalized: readonly string[],
    ask: readonly boolean[],
  ): Promise<{ scores: (CategoryScore[] | null)[] | null; failed: boolean }> {
    const classifier = this.classifier;
    const wanted = texts.flatMap((_, i) => (ask[i] ? [i] : []));
    if (classifier === null || wanted.length === 0) return { scores: null, failed: false };

    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.modelTimeoutMs);
    });
    try {
      const inputs = wanted.map((i) => ({ raw: texts[i]!, normalized: normalized[i]! }));
      const outcome = await Promise.race([classifier.classify(inputs), timeout]);
      if (outcome === 'timeout') {
        this.stats.modelTimeouts++;
        this.stats.degraded += wanted.length;
        return { scores: null, failed: true };
      }
      const scores: (CategoryScore[] | null)[] = texts.map(() => null);
      wanted.forEach((i, k) => (scores[i] = outcome[k] ?? null));
      return { scores, failed: false };
    } catch {
      this.stats.modelErrors++;
      this.stats.degraded += wanted.length;
      return { scores: null, failed: true };
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await this.classifier?.close();
  }
}

function intersect(a: ReadonlySet<string> | null, b: ReadonlySet<string> | null): ReadonlySet<string> | null {
  if (a === null) return b;
  if (b === null) return a;
  return new Set([...a].filter((x) => b.has(x)));
}

/** Builds a moderator: loads the taxonomy and lexicons, compiles the keyword tables. */
export async function createModerator(options: ModeratorOptions = {}): Promise<Moderator> {
  const taxonomy = loadTaxonomy();
  const keywords = compileKeywords(options.lexiconDirs ?? [BUNDLED_LEXICON_DIR], taxonomy, options.maxMatchesPerItem);
  const wanted = options.classifier ?? true;
  const classifier =
    wanted === false ? null : wanted === true ? await loadClassifier({ modelDir: options.modelDir ?? DEFAULT_MODEL_DIR }) : wanted;
  for (const category of classifier?.categories ?? []) taxonomy.get(category); // a model label outside the taxonomy fails here, at load
  const policies =
    options.policies instanceof PolicySet ? options.policies : loadPolicies(options.policies ?? BUNDLED_POLICIES_PATH, taxonomy);
  return new Moderator(taxonomy, keywords, classifier, options.modelTimeoutMs ?? 50, options.maxMatchesPerItem, policies);
}
