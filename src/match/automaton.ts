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
 *   (`edgeStart`, `edgeSymbol`, `edgeTarget`), scanned linearly when short
 *   (most deep nodes have one child); the edges of wide nodes (a common
 *   first character has hundreds of children) also sit in an
 *   open-addressing hash keyed by (node, symbol): one or two probes.
 * - Node ids are breadth first, so the shallow nodes a scan visits most are
 *   close together in memory.
 * - `fail` holds failure links; `outStart`/`outPattern` list the patterns
 *   that end exactly at a node, and `dictLink` points to the nearest node
 *   on the failure chain that has outputs (`firstOut`: the node itself if
 *   it has outputs), so reporting never walks nodes without outputs and
 *   outputs are never copied down the chain. 0 (the root) means none.
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

/** Children lists up to this long are searched linearly; longer ones through the edge hash. */
const LINEAR_SEARCH_MAX = 4;

/** The typed arrays of a compiled automaton (node ids in breadth-first order; the root is 0). */
export interface AutomatonParts {
  readonly patternLength: Int32Array;
  readonly symbolOf: Uint16Array;
  readonly rootNext: Int32Array;
  readonly edgeStart: Int32Array;
  readonly edgeSymbol: Uint16Array;
  readonly edgeTarget: Int32Array;
  readonly hashNode: Int32Array;
  readonly hashSymbol: Uint16Array;
  readonly hashTarget: Int32Array;
  readonly fail: Int32Array;
  readonly outStart: Int32Array;
  readonly outPattern: Int32Array;
  readonly firstOut: Int32Array;
  readonly dictLink: Int32Array;
}

const hashOf = (node: number, symbol: number, mask: number): number => (Math.imul(node, 0x9e3779b1) ^ Math.imul(symbol, 0x85ebca77)) & mask;

export class Automaton implements CompiledAutomaton {
  readonly patternCount: number;
  readonly nodeCount: number;
  /** Length in UTF-16 units of each pattern. */
  readonly patternLength: Int32Array;
  private readonly t: AutomatonParts;

  private constructor(tables: AutomatonParts) {
    this.t = tables;
    this.patternLength = tables.patternLength;
    this.patternCount = tables.patternLength.length;
    this.nodeCount = tables.fail.length;
  }

  get byteSize(): number {
    return Object.values(this.t).reduce((sum: number, a: ArrayBufferView) => sum + a.byteLength, 0);
  }

  /** The typed arrays, e.g. to send a compiled automaton between threads. */
  toParts(): AutomatonParts {
    return this.t;
  }

  /** Rebuilds an automaton from `toParts()` output (no checks: the parts must come from `compile`). */
  static fromParts(parts: AutomatonParts): Automaton {
    return new Automaton(parts);
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
    //    the path of its longest common prefix with the previous one. Node
    //    ids here are in creation (depth-first) order.
    const order = Array.from(patterns.keys()).sort((a, b) => (patterns[a]! < patterns[b]! ? -1 : patterns[a]! > patterns[b]! ? 1 : 0));
    const parent = new Int32Array(totalUnits + 1);
    const nodeSymbol = new Uint16Array(totalUnits + 1);
    const terminalOf = new Int32Array(patterns.length);
    let nodeCount = 1;
    const stack: number[] = [0];
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
        stack.push(child);
        node = child;
      }
      terminalOf[id] = node;
      previous = p;
    }

    // 3. Renumber nodes breadth first, so that the shallow nodes a scan
    //    visits most sit together in memory. Depth-first creation order
    //    lists each parent's children in ascending symbol order; a stable
    //    breadth-first pass keeps that order.
    const childStart = new Int32Array(nodeCount + 1);
    for (let v = 1; v < nodeCount; v++) childStart[parent[v]! + 1]!++;
    for (let v = 0; v < nodeCount; v++) childStart[v + 1]! += childStart[v]!;
    const children = new Int32Array(nodeCount);
    const childFill = childStart.slice(0, nodeCount);
    for (let v = 1; v < nodeCount; v++) children[childFill[parent[v]!]!++] = v;
    const bfs = new Int32Array(nodeCount); // new id → old id
    const rank = new Int32Array(nodeCount); // old id → new id
    let tail = 1;
    for (let head = 0; head < tail; head++) {
      const old = bfs[head]!;
      for (let c = childStart[old]!; c < childStart[old + 1]!; c++) {
        rank[children[c]!] = tail;
        bfs[tail++] = children[c]!;
      }
    }

    // 4. Children in CSR form, in the new numbering.
    const edgeStart = new Int32Array(nodeCount + 1);
    const edgeSymbol = new Uint16Array(nodeCount);
    const edgeTarget = new Int32Array(nodeCount);
    let edges = 0;
    for (let v = 0; v < nodeCount; v++) {
      edgeStart[v] = edges;
      const old = bfs[v]!;
      for (let c = childStart[old]!; c < childStart[old + 1]!; c++) {
        edgeSymbol[edges] = nodeSymbol[children[c]!]!;
        edgeTarget[edges++] = rank[children[c]!]!;
      }
    }
    edgeStart[nodeCount] = edges;
    const rootNext = new Int32Array(symbols + 1);
    for (let e = edgeStart[0]!; e < edgeStart[1]!; e++) rootNext[edgeSymbol[e]!] = edgeTarget[e]!;

    // 5. An open-addressing hash of the edges of wide nodes (more than
    //    LINEAR_SEARCH_MAX children): one or two probes instead of a binary
    //    search over hundreds of children of a common first character.
    let wideEdges = 0;
    for (let v = 1; v < nodeCount; v++) {
      const n = edgeStart[v + 1]! - edgeStart[v]!;
      if (n > LINEAR_SEARCH_MAX) wideEdges += n;
    }
    let hashSize = 16;
    while (hashSize < wideEdges * 2) hashSize *= 2;
    const mask = hashSize - 1;
    const hashNode = new Int32Array(hashSize).fill(-1);
    const hashSymbol = new Uint16Array(hashSize);
    const hashTarget = new Int32Array(hashSize);
    for (let v = 1; v < nodeCount; v++) {
      if (edgeStart[v + 1]! - edgeStart[v]! <= LINEAR_SEARCH_MAX) continue;
      for (let e = edgeStart[v]!; e < edgeStart[v + 1]!; e++) {
        let h = hashOf(v, edgeSymbol[e]!, mask);
        while (hashNode[h] !== -1) h = (h + 1) & mask;
        hashNode[h] = v;
        hashSymbol[h] = edgeSymbol[e]!;
        hashTarget[h] = edgeTarget[e]!;
      }
    }

    // 6. Outputs per node, CSR.
    const outStart = new Int32Array(nodeCount + 1);
    for (let id = 0; id < patterns.length; id++) outStart[rank[terminalOf[id]!]! + 1]!++;
    for (let v = 0; v < nodeCount; v++) outStart[v + 1]! += outStart[v]!;
    const outPattern = new Int32Array(patterns.length);
    const outFill = outStart.slice(0, nodeCount);
    for (let id = 0; id < patterns.length; id++) outPattern[outFill[rank[terminalOf[id]!]!]!++] = id;

    // 7. Failure and dictionary links. Node ids are breadth first, so one
    //    pass in id order sees every node after its parent and its failure
    //    target (which is shallower).
    const fail = new Int32Array(nodeCount);
    const dictLink = new Int32Array(nodeCount);
    const firstOut = new Int32Array(nodeCount);
    const automaton = new Automaton({
      patternLength: Int32Array.from(patterns, (p) => p.length),
      symbolOf,
      rootNext,
      edgeStart,
      edgeSymbol,
      edgeTarget,
      hashNode,
      hashSymbol,
      hashTarget,
      fail,
      outStart,
      outPattern,
      firstOut,
      dictLink,
    });
    for (let u = 0; u < nodeCount; u++) {
      for (let e = edgeStart[u]!; e < edgeStart[u + 1]!; e++) {
        const v = edgeTarget[e]!;
        let target = -1;
        if (u !== 0) {
          let f = fail[u]!;
          target = automaton.child(f, edgeSymbol[e]!);
          while (target < 0 && f !== 0) {
            f = fail[f]!;
            target = automaton.child(f, edgeSymbol[e]!);
          }
        }
        const fv = target < 0 ? 0 : target;
        fail[v] = fv;
        dictLink[v] = outStart[fv + 1]! > outStart[fv]! ? fv : dictLink[fv]!;
        firstOut[v] = outStart[v + 1]! > outStart[v]! ? v : dictLink[v]!;
      }
    }
    return automaton;
  }

  /** The child of `node` on `symbol`, or -1. */
  private child(node: number, symbol: number): number {
    const { rootNext, edgeStart, edgeSymbol, edgeTarget, hashNode, hashSymbol, hashTarget } = this.t;
    if (node === 0) {
      const target = rootNext[symbol]!;
      return target === 0 ? -1 : target;
    }
    const lo = edgeStart[node]!;
    const hi = edgeStart[node + 1]!;
    if (hi - lo <= LINEAR_SEARCH_MAX) {
      for (let e = lo; e < hi; e++) if (edgeSymbol[e] === symbol) return edgeTarget[e]!;
      return -1;
    }
    const mask = hashNode.length - 1;
    for (let h = hashOf(node, symbol, mask); hashNode[h] !== -1; h = (h + 1) & mask) {
      if (hashNode[h] === node && hashSymbol[h] === symbol) return hashTarget[h]!;
    }
    return -1;
  }

  /**
   * Scans `length` units of `units` and appends every match to `out` as
   * (pattern id, end offset). Allocates nothing unless `out` must grow.
   */
  scan(units: Uint16Array, length: number, out: MatchBuffer): void {
    const { symbolOf, rootNext, edgeStart, edgeSymbol, edgeTarget, hashNode, hashSymbol, hashTarget, fail, outStart, outPattern, firstOut, dictLink } =
      this.t;
    const mask = hashNode.length - 1;
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
        const lo = edgeStart[state]!;
        const hi = edgeStart[state + 1]!;
        let target = 0;
        if (hi - lo <= LINEAR_SEARCH_MAX) {
          for (let e = lo; e < hi; e++) {
            if (edgeSymbol[e] === symbol) {
              target = edgeTarget[e]!;
              break;
            }
          }
        } else {
          for (let h = hashOf(state, symbol, mask); hashNode[h] !== -1; h = (h + 1) & mask) {
            if (hashNode[h] === state && hashSymbol[h] === symbol) {
              target = hashTarget[h]!;
              break;
            }
          }
        }
        if (target !== 0) {
          state = target;
          break;
        }
        state = fail[state]!;
      }
      for (let node = firstOut[state]!; node !== 0; node = dictLink[node]!) {
        for (let o = outStart[node]!, end = outStart[node + 1]!; o < end; o++) out.push(outPattern[o]!, i + 1);
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
