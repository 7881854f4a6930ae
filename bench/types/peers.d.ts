// Typings for the two npm peers that ship none (read from their sources in node_modules).

declare module 'aho-corasick' {
  /** hsujian/aho-corasick 0.1.3: object-per-node trie, overlapping matches reported through a callback. */
  class AhoCorasick {
    add(word: string, data?: unknown): void;
    build_fail(): this;
    search(text: string, callback: (word: string, data: unknown[], offset: number) => void): this;
  }
  export = AhoCorasick;
}

declare module 'fastscan' {
  /** pyloque/fastscan 1.0.6: dedups and trims the words, overlapping matches as [offset, word]. */
  class FastScanner {
    constructor(words: string[]);
    search(content: string, options?: { quick?: boolean; longest?: boolean }): [number, string][];
  }
  export = FastScanner;
}
