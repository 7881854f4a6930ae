import { loadConfig } from '../../src/config.js';
import { startServer, type RunningServer } from '../../src/server.js';

/** A real warden server on a free loopback port. */
export async function startTestServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', CLASSIFIER: 'off', ...env });
  return startServer(config);
}

/**
 * Parsed JSON as tests use it: navigable without casts (`json.error.details[0].path`), every value
 * checked by an assertion. Not `any`: it cannot flow into typed code unnoticed.
 */
export interface Json {
  readonly [key: string]: Json;
}

export async function getJson(url: string): Promise<Json> {
  return (await (await fetch(url)).json()) as Json;
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: Json }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Json };
}
