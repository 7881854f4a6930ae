import { describe, expect, it } from 'vitest';
import { loadTaxonomy, OPENAI_CATEGORIES, parseTaxonomy } from '../src/taxonomy/taxonomy.js';

const taxonomy = loadTaxonomy();

describe('taxonomy', () => {
  it('has the 5 groups and 31 risks of TC260-003 Appendix A (8 + 9 + 5 + 7 + 2)', () => {
    expect(taxonomy.groups.map((g) => g.code)).toEqual(['A.1', 'A.2', 'A.3', 'A.4', 'A.5']);
    const risks = taxonomy.categories.filter((c) => c.kind === 'tc260');
    const perGroup = taxonomy.groups.map((g) => risks.filter((r) => r.group === g.code).length);
    expect(perGroup).toEqual([8, 9, 5, 7, 2]);
  });

  it('has the practical categories, each under a TC260 risk', () => {
    const practical = taxonomy.categories.filter((c) => c.kind === 'practical').map((c) => c.id);
    for (const id of ['violence', 'sexual', 'sexual_minors', 'gambling', 'drugs', 'weapons', 'fraud', 'spam_ads', 'self_harm', 'harassment', 'hate', 'malware']) {
      expect(practical).toContain(id);
    }
    expect(taxonomy.resolve('terrorism_extremism')?.code).toBe('A.1.4');
    expect(taxonomy.resolve('personal_information')?.code).toBe('A.4.6');
  });

  it('maps onto all 13 OpenAI moderation categories', () => {
    const covered = new Set(taxonomy.categories.flatMap((c) => c.openai));
    expect([...covered].sort()).toEqual([...OPENAI_CATEGORIES].sort());
  });

  it('resolves TC260 codes to the risk itself and expands them with their children', () => {
    expect(taxonomy.resolve('A.1.6')?.id).toBe('violence_obscenity');
    expect(taxonomy.expand('A.1.6').map((c) => c.id).sort()).toEqual(['sexual', 'sexual_minors', 'violence', 'violence_obscenity']);
    expect(taxonomy.expand('A.5').map((c) => c.code)).toEqual(['A.5.1', 'A.5.2']);
    expect(taxonomy.expand('nope')).toEqual([]);
  });

  it('rejects a taxonomy with a practical category under an unknown risk', () => {
    const broken = {
      version: 1,
      source: 'x',
      openai_categories: [],
      groups: taxonomy.groups,
      categories: [{ id: 'x', code: 'A.1.9', group: 'A.1', kind: 'practical', name: { zh: 'x', en: 'x' }, openai: [], keyword_table: true }],
    };
    expect(() => parseTaxonomy(broken)).toThrow(/parent risk A\.1\.9 is not defined/);
  });
});
