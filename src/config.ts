/**
 * Service configuration from the environment, validated with zod. Every
 * setting is documented in README.md ("Configuration").
 */
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { BUNDLED_LEXICON_DIR } from './lexicon/load.js';

const intFrom = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const onOff = z
  .enum(['on', 'off', 'true', 'false', '1', '0'])
  .transform((v) => v === 'on' || v === 'true' || v === '1');

const envSchema = z.object({
  PORT: intFrom(0, 65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  LEXICON_DIRS: z
    .string()
    .optional()
    .transform((v) => (v ? v.split(':').filter((d) => d !== '') : [BUNDLED_LEXICON_DIR])),
  MAX_BODY_BYTES: intFrom(1024, 64 * 1024 * 1024).default(1024 * 1024),
  MAX_ITEM_CHARS: intFrom(1, 10_000_000).default(100_000),
  MAX_ITEMS: intFrom(1, 10_000).default(64),
  MAX_MATCHES_PER_ITEM: intFrom(1, 1_000_000).default(1000),
  CLASSIFIER: onOff.default(true),
  MODEL_DIR: z.string().min(1).optional(),
  MODEL_TIMEOUT_MS: intFrom(1, 60_000).default(50),
  POLICIES_FILE: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // Operations (issue 4): keys, limits, reload, records, lifecycle. See README "Operations".
  API_KEYS_FILE: z.string().min(1).optional(),
  API_KEYS: z.string().min(1).optional(),
  ALLOW_UNAUTHENTICATED: onOff.default(false),
  RATE_LIMIT_RPS: z.coerce.number().min(0).max(1_000_000).default(0),
  RATE_LIMIT_BURST: intFrom(0, 1_000_000).default(0),
  MAX_IN_FLIGHT: intFrom(1, 100_000).default(128),
  REQUEST_TIMEOUT_MS: intFrom(1, 600_000).default(5000),
  LEXICON_WATCH: onOff.default(false),
  AUDIT_DIR: z.string().min(1).optional(),
  AUDIT_STORE_TEXT: onOff.default(false),
  AUDIT_FLUSH_MS: intFrom(0, 1000).default(2),
  AUDIT_MAX_FILE_BYTES: intFrom(4096, 1024 ** 4).default(64 * 1024 * 1024),
  AUDIT_RETENTION_DAYS: z.coerce.number().min(0).max(36_500).default(30),
  DRAIN_TIMEOUT_MS: intFrom(0, 600_000).default(10_000),
  WORKERS: intFrom(1, 1024).default(availableParallelism()),
});

export type Config = z.infer<typeof envSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads the configuration; throws ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings mean "unset", as in most shells' `FOO= cmd`.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  return parsed.data;
}
