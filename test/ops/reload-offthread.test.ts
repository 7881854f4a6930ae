// A reload of a large lexicon compiles on a worker thread: requests keep being answered meanwhile.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startTestServer } from '../helpers/server.js';
import { HAS_SHARED, SHARED_DIR } from '../helpers/paths.js';
import { lexiconDir, post } from './helpers.js';

describe.skipIf(!HAS_SHARED)('reloading the 52k-term merged lexicon', () => {
  it('answers requests while the new tables compile, then swaps them in', async () => {
    const dir = lexiconDir('# category: drugs\n# action: block\n冰毒\n');
    const server = await startTestServer({ LEXICON_DIRS: dir });
    try {
      const terms = readFileSync(join(SHARED_DIR, 'lexicons/merged.txt'), 'utf8');
      writeFileSync(join(dir, 'big.txt'), `# category: other_prohibited\n# action: flag\n${terms}`);
      const order: string[] = [];
      const reload = fetch(`${server.url}/admin/reload`, { method: 'POST' }).then(async (r) => {
        order.push('reload');
        return r;
      });
      // Keep asking while the reload runs; with an in-process compile these would all wait for it.
      const answers: Promise<unknown>[] = [];
      for (let i = 0; i < 5; i++) {
        await new Promise((r) => setTimeout(r, 20));
        answers.push(post(`${server.url}/moderate`, { input: '卖冰毒' }).then(() => order.push('answer')));
      }
      await Promise.all(answers);
      const res = await reload;
      expect(res.status).toBe(200);
      expect(order.indexOf('reload')).toBeGreaterThan(0); // at least one answer came before the reload finished
      expect(server.moderator.tables.patternCount).toBeGreaterThan(45_000);
    } finally {
      await server.close();
    }
  });
});
