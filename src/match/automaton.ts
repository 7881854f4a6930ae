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
 * Layout: the trie is a **double array** (Aoe's layout, as in Darts and
 * most Chinese keyword filters), with Aho-Corasick failure links beside it.
 * - The alphabet is compressed: `symbolOf` maps a code unit to a dense
 *   symbol id, 0 for units that occur in no pattern (those send the
 *   automaton straight back to the root without touching the trie).
 * - A node is a slot. Its child on symbol `c` is the slot `base[node] + c`,
 *   valid when `check[slot] === node`: one addition and two loads, whatever
 *   the node's fan-out (a common first character in a Chinese lexicon has
 *   hundreds of children; a sorted list or a hash there costs a search).
 *   Slots are placed breadth first, so the shallow nodes a scan visits on
 *   almost every character sit together in memory.
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

/** The typed arrays of a compiled automaton. Node ids are double-array slots; the root is slot 0. */
export interface AutomatonParts {
  readonly patternLength: Int32Array;
  readonly symbolOf: Uint16Array;
  readonly base: Int32Array;
  readonly check: Int32Array;
  readonly fail: Int32Array;
  readonly outStart: Int32Array;
  readonly outPattern: Int32Array;
  readonly firstOut: Int32Array;
  readonly dictLink: Int32Array;
}

/**
 * The state after reading `symbol` in `state`: its child, else the child of the nearest node on its
 * failure chain that has one, else the root. (The scan loop repeats it inline.)
 */
function step(base: Int32Array, check: Int32Array, fail: Int32Array, state: number, symbol: number): number {
  for (;;) {
    const next = base[state]! + symbol;
    if (check[next] === state) return next;
    if (state === 0) return 0;
    state = fail[state]!;
  }
}

export class Automaton implements CompiledAutomaton {
  readonly patternCount: number;
  readonly nodeCount: number;
  /** Length in UTF-16 units of each pattern. */
  readonly patternLength: Int32Array;
  private readonly t: AutomatonParts;

  private constructor(parts: AutomatonParts, nodeCount: number) {
    this.t = parts;
    this.patternLength = parts.patternLength;
    this.patternCount = parts.patternLength.length;
    this.nodeCount = nodeCount;
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
    let nodes = 1;
    for (let slot = 1; slot < parts.check.length; slot++) if (parts.check[slot]! >= 0) nodes++;
    return new Automaton(parts, nodes);
  }

  /**
   * Compiles patterns (empty patterns are rejected: they would match
   * everywhere). Pattern ids are indexes into `patterns`.
   */
  static compile(patterns: readonly string[]): Automaton {
    // 1. Alphabet: dense symbol ids in code-unit order.
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
    //    the path of its longest common prefix with the previous one (no
    //    per-node objects: parent and symbol arrays, in creation order).
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

    // 3. Children lists (CSR over trie nodes; creation order lists each
    //    parent's children in ascending symbol order).
    const childStart = new Int32Array(nodeCount + 1);
    for (let v = 1; v < nodeCount; v++) childStart[parent[v]! + 1]!++;
    for (let v = 0; v < nodeCount; v++) childStart[v + 1]! += childStart[v]!;
    const children = new Int32Array(nodeCount);
    const childFill = childStart.slice(0, nodeCount);
    for (let v = 1; v < nodeCount; v++) children[childFill[parent[v]!]!++] = v;

    // 4. Double-array placement, breadth first: for each node, the first
    //    base at which all of its children's slots are free. Free slots are
    //    kept in a linked list, so a search steps over free slots only, and
    //    most nodes (one child) take the first one.
    let capacity = Math.max(1024, nodeCount * 2 + symbols + 2);
    let used = new Uint8Array(capacity);
    let base = new Int32Array(capacity);
    let check = new Int32Array(capacity).fill(-1);
    let nextFree = new Int32Array(capacity);
    for (let i = 1; i < capacity; i++) nextFree[i] = i + 1; // slot `capacity` means "past the end"
    let prevFree = new Int32Array(capacity);
    for (let i = 1; i < capacity; i++) prevFree[i] = i - 1; // 0 means "no previous"
    let firstFree = 1;
    let lastFree = capacity - 1;
    const grow = (needed: number): void => {
      if (needed < capacity) return;
      let size = capacity;
      while (size <= needed) size *= 2;
      const u = new Uint8Array(size);
      u.set(used);
      const b = new Int32Array(size);
      b.set(base);
      const c = new Int32Array(size).fill(-1);
      c.set(check);
      const nf = new Int32Array(size);
      nf.set(nextFree);
      const pf = new Int32Array(size);
      pf.set(prevFree);
      // Append the new slots to the free list.
      for (let i = capacity; i < size; i++) {
        nf[i] = i + 1;
        pf[i] = i - 1;
      }
      if (lastFree >= 1 && lastFree < capacity && !used[lastFree]) nf[lastFree] = capacity;
      pf[capacity] = lastFree >= 1 && !used[lastFree] ? lastFree : 0;
      if (firstFree >= capacity || used[firstFree]) firstFree = capacity;
      lastFree = size - 1;
      used = u;
      base = b;
      check = c;
      nextFree = nf;
      prevFree = pf;
      capacity = size;
    };
    const take = (slot: number): void => {
      used[slot] = 1;
      const next = nextFree[slot]!;
      const prev = prevFree[slot]!;
      if (prev === 0) firstFree = next;
      else nextFree[prev] = next;
      if (next < capacity) prevFree[next] = prev;
      else lastFree = prev;
    };
    const slotOf = new Int32Array(nodeCount); // trie node → slot
    used[0] = 1; // the root
    let highest = 0;
    const queue = new Int32Array(nodeCount);
    let tail = 1; // queue[0] = 0, the root
    for (let head = 0; head < tail; head++) {
      const node = queue[head]!;
      const lo = childStart[node]!;
      const hi = childStart[node + 1]!;
      if (lo === hi) continue; // a leaf: base 0, never matched by check
      const firstSymbol = nodeSymbol[children[lo]!]!;
      const lastSymbol = nodeSymbol[children[hi - 1]!]!;
      let p = firstFree;
      let b: number;
      for (;;) {
        if (p >= capacity) grow(p + lastSymbol + 1);
        b = p - firstSymbol;
        if (b >= 1) {
          grow(b + lastSymbol + 1);
          let fits = true;
          for (let c = lo + 1; c < hi; c++) {
            if (used[b + nodeSymbol[children[c]!]!]) {
              fits = false;
              break;
            }
          }
          if (fits) break;
        }
        p = nextFree[p]!;
      }
      const slot = slotOf[node]!;
      base[slot] = b;
      for (let c = lo; c < hi; c++) {
        const child = children[c]!;
        const childSlot = b + nodeSymbol[child]!;
        take(childSlot);
        check[childSlot] = slot;
        slotOf[child] = childSlot;
        if (childSlot > highest) highest = childSlot;
        queue[tail++] = child;
      }
    }
    // Room for `base[s] + symbol` of any slot and symbol, so the scan needs no bounds test.
    let maxBase = 0;
    for (let s = 0; s <= highest; s++) if (base[s]! > maxBase) maxBase = base[s]!;
    const size = Math.max(highest, maxBase + symbols) + 1;
    const finalBase = base.slice(0, size);
    const finalCheck = check.slice(0, size);

    // 5. Outputs per slot, CSR.
    const outStart = new Int32Array(size + 1);
    for (let id = 0; id < patterns.length; id++) outStart[slotOf[terminalOf[id]!]! + 1]!++;
    for (let s = 0; s < size; s++) outStart[s + 1]! += outStart[s]!;
    const outPattern = new Int32Array(patterns.length);
    const outFill = outStart.slice(0, size);
    for (let id = 0; id < patterns.length; id++) outPattern[outFill[slotOf[terminalOf[id]!]!]!++] = id;

    // 6. Failure and dictionary links, breadth first (a node's failure
    //    target is shallower, so it is final by the time the node is seen).
    const fail = new Int32Array(size);
    const dictLink = new Int32Array(size);
    const firstOut = new Int32Array(size);
    const hasOut = (s: number): boolean => outStart[s + 1]! > outStart[s]!;
    for (let q = 1; q < tail; q++) {
      const node = queue[q]!;
      const slot = slotOf[node]!;
      const symbol = nodeSymbol[node]!;
      const parentSlot = finalCheck[slot]!;
      // A depth-1 node fails to the root; deeper ones to where their parent's failure reads `symbol`.
      const f = parentSlot === 0 ? 0 : step(finalBase, finalCheck, fail, fail[parentSlot]!, symbol);
      fail[slot] = f;
      dictLink[slot] = hasOut(f) ? f : dictLink[f]!;
      firstOut[slot] = hasOut(slot) ? slot : dictLink[slot]!;
    }

    return new Automaton(
      {
        patternLength: Int32Array.from(patterns, (p) => p.length),
        symbolOf,
        base: finalBase,
        check: finalCheck,
        fail,
        outStart,
        outPattern,
        firstOut,
        dictLink,
      },
      nodeCount,
    );
  }

  /**
   * Scans `length` units of `units` and appends every match to `out` as
   * (pattern id, end offset). Allocates nothing unless `out` must grow.
   */
  scan(units: Uint16Array, length: number, out: MatchBuffer): void {
    const { symbolOf, base, check, fail, outStart, outPattern, firstOut, dictLink } = this.t;
    let state = 0;
    for (let i = 0; i < length; i++) {
      const symbol = symbolOf[units[i]!]!;
      if (symbol === 0) {
        state = 0;
        continue;
      }
      // `step`, written out: as a call it measured ~6% slower on the corpus.
      for (;;) {
        const next = base[state]! + symbol;
        if (check[next] === state) {
          state = next;
          break;
        }
        if (state === 0) break;
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
