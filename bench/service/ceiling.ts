/**
 * The ceiling: a bare Hono server on the same Node adapter as warden, whose
 * handler only parses the JSON body and answers a fixed verdict. Whatever
 * warden does on top costs the difference.
 *
 * Prints one JSON line {"url": ...} once listening. Stop it with SIGTERM.
 */
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';

const VERDICT = {
  id: 'modr-ceiling',
  lexicon_version: 'ceiling',
  model: null,
  results: [{ action: 'allow', flagged: false, categories: {}, matches: [] }],
};

const app = new Hono();
app.post('/moderate', async (c) => {
  const body = (await c.req.json()) as { input?: unknown };
  if (body.input === undefined) return c.json({ error: 'input required' }, 400);
  return c.json(VERDICT);
});

const server = createAdaptorServer({ fetch: app.fetch }) as Server;
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}` })}\n`);
});
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
