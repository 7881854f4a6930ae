/**
 * A compiled Aho-Corasick automaton over UTF-16 code units, in flat typed
 * arrays. See docs/DESIGN.md ("The automaton") for the choices and costs.
 *
 * Match semantics: **overlapping**. Every occurrence of every pattern is
 * reported, including occurrences nested in or overlapping others ("he",
 * "she", "hers" in "ushers" gives three matches). Matches are reported in
 * order of their end position; matches ending at the same position are
 * reported longest first. Duplicate patterns share one trie node and are
 * all reported.
 *
 * Layout (a "contiguous NFA" in the vocabulary of BurntSushi's aho-corasick
 * crate):
 * - The alphabet is compressed: `symbolOf` maps a code unit to a dense
 *   symbol id, 0 for units that occur in no pattern (those send the
 *   automaton straight back to the root).
 * - The root has a dense row (`rootNext`, one entry per symbol): the root is
 *   where a scan spends most of its time on ordinary text.
 * - Other nodes keep their children as a sorted run in CSR form
 *   (`edgeStart`, `edgeSymbol`, `edgeTarget`); lookups scan short runs
 *   linearly and binary-search long ones. Most deep nodes have one child.
 * - `fail` holds failure links; `outStart`/`outPattern` list the patterns
 *   that end exactly at a node, and `dictLink` points to the nearest node
 *   on the failure chain that has outputs, so reporting never walks nodes
 *   without outputs and outputs are never copied down the chain.
 *
 * Written by hand: the automaton is the latency-critical heart of warden;
 * the npm implementations allocate an object per node and per match.
 */

export interface CompiledAutomaton {
  readonly patternCount: number;
  readonly nodeCount: number;
  /** Bytes held by the typed arrays (for /metrics and benchmarks). */
  readonly byteSize: number;
}

/** Where matches are written: pairs (pattern id, end offset exclusive) in a growable array. */
export class MatchBuffer {
  data = new Int32Array(256);
  count = 0;

  reset(): void {
    this.count = 0;
  }

  push(pattern: number, end: number): void {
    const at = this.count * 2;
    if (at + 2 > this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[at] = pattern;
    this.data[at + 1] = end;
    this.count++;
  }

  pattern(i: number): number {
    return this.data[i * 2]!;
  }

  end(i: number): number {
    return this.data[i * 2 + 1]!;
  }
}

const LINEAR_SEARCH_MAX = 8;

export class Automaton implements CompiledAutomaton {
  readonly patternCount: number;
  readonly nodeCount: number;
  /** Length in UTF-16 units of each pattern. */
  readonly patternLength: Int32Array;

  private readonly symbolOf: Uint16Array;
  private readonly rootNext: Int32Array;
  private readonly edgeStart: Int32Array;
  private readonly edgeSymbol: Uint16Array;
  private readonly edgeTarget: Int32Array;
  private readonly fail: Int32Array;
  private readonly outStart: Int32Array;
  private readonly outPattern: Int32Array;
  private readonly dictLink: Int32Array;

  private constructor(parts: {
    patternLength: Int32Array;
    nodeCount: number;
    symbolOf: Uint16Array;
    rootNext: Int32Array;
    edgeStart: Int32Array;
    edgeSymbol: Uint16Array;
    edgeTarget: Int32Array;
    fail: Int32Array;
    outStart: Int32Array;
    outPattern: Int32Array;
    dictLink: Int32Array;
  }) {
    this.patternLength = parts.patternLength;
    this.patternCount = parts.patternLength.length;
    this.nodeCount = parts.nodeCount;
    this.symbolOf = parts.symbolOf;
    this.rootNext = parts.rootNext;
    this.edgeStart = parts.edgeStart;
    this.edgeSymbol = parts.edgeSymbol;
    this.edgeTarget = parts.edgeTarget;
    this.fail = parts.fail;
    this.outStart = parts.outStart;
    this.outPattern = parts.outPattern;
    this.dictLink = parts.dictLink;
  }

  get byteSize(): number {
    return [
      this.patternLength,
      this.symbolOf,
      this.rootNext,
      this.edgeStart,
      this.edgeSymbol,
      this.edgeTarget,
      this.fail,
      this.outStart,
      this.outPattern,
      this.dictLink,
    ].reduce((sum, a) => sum + a.byteLength, 0);
  }

  /**
   * Compiles patterns (empty patterns are rejected: they would match
   * everywhere). Pattern ids are indexes into `patterns`.
   */
  static compile(patterns: readonly string[]): Automaton {
    // 1. Alphabet: dense symbol ids in code-unit order, so that sorted
    //    patterns produce sorted child runs.
    const seen = new Uint8Array(0x10000);
    let totalUnits = 0;
    for (const p of patterns) {
      if (p.length === 0) throw new Error('empty pattern');
      totalUnits += p.length;
      for (let i = 0; i < p.length; i++) seen[p.charCodeAt(i)] = 1;
    }
    const symbolOf = new Uint16Array(0x10000);
    let symbols = 0;
    for (let u = 0; u < 0x10000; u++) if (seen[u]) symbolOf[u] = ++symbols;
    if (symbols >= 0xffff) throw new Error('alphabet too large');

    // 2. Trie, inserting patterns in sorted order so that a pattern shares
    //    the path of its longest common prefix with the previous one.
    const order = Array.from(patterns.keys()).sort((a, b) => (patterns[a]! < patterns[b]! ? -1 : patterns[a]! > patterns[b]! ? 1 : 0));
    const maxNodes = totalUnits + 1;
    const parent = new Int32Array(maxNodes);
    const nodeSymbol = new Uint16Array(maxNodes);
    const depth = new Int32Array(maxNodes);
    const terminalOf = new Int32Array(patterns.length);
    let nodeCount = 1;
    let stack: number[] = [0];
    let previous = '';
    for (const id of order) {
      const p = patterns[id]!;
      let common = 0;
      const limit = Math.min(p.length, previous.length);
      while (common < limit && p.charCodeAt(common) === previous.charCodeAt(common)) common++;
      stack.length = common + 1;
      let node = stack[common]!;
      for (let i = common; i < p.length; i++) {
        const child = nodeCount++;
        parent[child] = node;
        nodeSymbol[child] = symbolOf[p.charCodeAt(i)]!;
        depth[child] = i + 1;
        stack.push(child);
        node = child;
      }
      terminalOf[id] = node;
      previous = p;
    }
    stack = [];

    // 3. Children in CSR form. Nodes were created in sorted DFS order, so
    //    each parent's children appear in ascending symbol order.
    const edgeStart = new Int32Array(nodeCount + 1);
    for (let v = 1; v < nodeCount; v++) edgeStart[parent[v]! + 1]!++;
    for (let v = 0; v < nodeCount; v++) edgeStart[v + 1]! += edgeStart[v]!;
    const edgeSymbol = new Uint16Array(nodeCount);
    const edgeTarget = new Int32Array(nodeCount);
    const fill = edgeStart.slice(0, nodeCount);
    for (let v = 1; v < nodeCount; v++) {
      const at = fill[parent[v]!]!++;
      edgeSymbol[at] = nodeSymbol[v]!;
      edgeTarget[at] = v;
    }
    const rootNext = new Int32Array(symbols + 1);
    for (let e = edgeStart[0]!; e < edgeStart[1]!; e++) rootNext[edgeSymbol[e]!] = edgeTarget[e]!;

    // 4. Outputs per node, CSR.
    const outStart = new Int32Array(nodeCount + 1);
    for (let id = 0; id < patterns.length; id++) outStart[terminalOf[id]! + 1]!++;
    for (let v = 0; v < nodeCount; v++) outStart[v + 1]! += outStart[v]!;
    const outPattern = new Int32Array(patterns.length);
    const outFill = outStart.slice(0, nodeCount);
    for (let id = 0; id < patterns.length; id++) outPattern[outFill[terminalOf[id]!]!++] = id;

    // 5. Failure and dictionary links, breadth first.
    const fail = new Int32Array(nodeCount);
    const dictLink = new Int32Array(nodeCount).fill(-1);
    const queue = new Int32Array(nodeCount);
    let head = 0;
    let tail = 0;
    for (let e = edgeStart[0]!; e < edgeStart[1]!; e++) queue[tail++] = edgeTarget[e]!;
    const automaton = new Automaton({
      patternLength: Int32Array.from(patterns, (p) => p.length),
      nodeCount,
      symbolOf,
      rootNext,
      edgeStart,
      edgeSymbol,
      edgeTarget,
      fail,
      outStart,
      outPattern,
      dictLink,
    });
    while (head < tail) {
      const u = queue[head++]!;
      for (let e = edgeStart[u]!; e < edgeStart[u + 1]!; e++) {
        const v = edgeTarget[e]!;
        const symbol = edgeSymbol[e]!;
        let f = fail[u]!;
        let target = automaton.child(f, symbol);
        while (target < 0 && f !== 0) {
          f = fail[f]!;
          target = automaton.child(f, symbol);
        }
        const fv = target < 0 ? 0 : target;
        fail[v] = fv;
        dictLink[v] = outStart[fv + 1]! > outStart[fv]! ? fv : dictLink[fv]!;
        queue[tail++] = v;
      }
    }
    return automaton;
  }

  /** The child of `node` on `symbol`, or -1. */
  private child(node: number, symbol: number): number {
    if (node === 0) {
      const t = this.rootNext[symbol]!;
      return t === 0 ? -1 : t;
    }
    let lo = this.edgeStart[node]!;
    let hi = this.edgeStart[node + 1]!;
    const edgeSymbol = this.edgeSymbol;
    if (hi - lo <= LINEAR_SEARCH_MAX) {
      for (; lo < hi; lo++) if (edgeSymbol[lo] === symbol) return this.edgeTarget[lo]!;
      return -1;
    }
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const s = edgeSymbol[mid]!;
      if (s === symbol) return this.edgeTarget[mid]!;
      if (s < symbol) lo = mid + 1;
      else hi = mid;
    }
    return -1;
  }

  /**
   * Scans `length` units of `units` and appends every match to `out` as
   * (pattern id, end offset). Allocates nothing unless `out` must grow.
   */
  scan(units: ArrayLike<number>, length: number, out: MatchBuffer): void {
    const { symbolOf, rootNext, edgeStart, edgeSymbol, edgeTarget, fail, outStart, outPattern, dictLink } = this;
    let state = 0;
    for (let i = 0; i < length; i++) {
      const symbol = symbolOf[units[i]!]!;
      if (symbol === 0) {
        state = 0;
        continue;
      }
      // Follow failure links until a node has a child on `symbol`; the root's dense row always answers.
      for (;;) {
        if (state === 0) {
          state = rootNext[symbol]!;
          break;
        }
        let lo = edgeStart[state]!;
        const hi = edgeStart[state + 1]!;
        let target = -1;
        if (hi - lo <= LINEAR_SEARCH_MAX) {
          for (; lo < hi; lo++) {
            if (edgeSymbol[lo] === symbol) {
              target = edgeTarget[lo]!;
              break;
            }
          }
        } else {
          let h = hi;
          while (lo < h) {
            const mid = (lo + h) >>> 1;
            const s = edgeSymbol[mid]!;
            if (s === symbol) {
              target = edgeTarget[mid]!;
              break;
            }
            if (s < symbol) lo = mid + 1;
            else h = mid;
          }
        }
        if (target >= 0) {
          state = target;
          break;
        }
        state = fail[state]!;
      }
      if (state === 0) continue;
      let node = outStart[state + 1]! > outStart[state]! ? state : dictLink[state]!;
      while (node > 0) {
        for (let o = outStart[node]!, end = outStart[node + 1]!; o < end; o++) out.push(outPattern[o]!, i + 1);
        node = dictLink[node]!;
      }
    }
  }

  /** Convenience for tests and tools: all matches in a string, as {pattern, start, end} in UTF-16 units. */
  findAll(text: string): { pattern: number; start: number; end: number }[] {
    const units = new Uint16Array(text.length);
    for (let i = 0; i < text.length; i++) units[i] = text.charCodeAt(i);
    const out = new MatchBuffer();
    this.scan(units, units.length, out);
    const matches = [];
    for (let i = 0; i < out.count; i++) {
      const pattern = out.pattern(i);
      const end = out.end(i);
      matches.push({ pattern, start: end - this.patternLength[pattern]!, end });
    }
    return matches;
  }
}
