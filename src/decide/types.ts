/** What a keyword entry, a model threshold or a whole verdict asks for. Ordered: allow < flag < block. */
export type Action = 'allow' | 'flag' | 'block';
export type Verdict = Action;

const RANK: Record<Action, number> = { allow: 0, flag: 1, block: 2 };

/** The stricter of two actions. */
export function stricter(a: Action, b: Action): Action {
  return RANK[a] >= RANK[b] ? a : b;
}

export function isStricter(a: Action, than: Action): boolean {
  return RANK[a] > RANK[than];
}
