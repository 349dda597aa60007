/**
 * Finds a line's command name: every name pattern (of every family) that matches the line's
 * leading words, `*` matching any one word, in a trie so that 10,000 lines stay cheap.
 *
 * Choice (the dispatch rule): the longest match wins; on a tie a family with full parameter
 * checking beats the catalogue's name-only entry, then the pattern with more keywords wins.
 * When only a name-only pattern is the longest, families with full checking whose shorter
 * pattern also matches are tried first: a catalogue name may swallow a keyword the checked
 * family treats as a parameter (`login password encrypted` vs `login password`).
 */
import type { CommandFamily } from './family.js';
import type { ConfigToken } from './tokenize.js';

/** The families, in precedence order (the first to claim a name keeps it), and the catalogue. */
export interface CommandRegistry {
  readonly checkedFamilies: readonly CommandFamily[];
  /** Every configuration command of Yamaha's catalogue, recognised by name only. */
  readonly catalogue: CommandFamily;
  /** Name pattern -> how we know the command did not exist on RTX1500 Rev.8.03. */
  readonly absentOnRtx1500: ReadonlyMap<string, string>;
}

export interface NameEntry {
  readonly pattern: string;
  readonly words: readonly string[];
  readonly family: CommandFamily;
  readonly checked: boolean;
  readonly keywordCount: number;
}

export interface NameChoice {
  /** The entry the line belongs to. */
  readonly primary: NameEntry;
  /** When `primary` is name-only: shorter checked entries to try first, longest first. */
  readonly checkedFallbacks: readonly NameEntry[];
}

/** What may follow a command's first words (see `NameIndex.continuations`). */
export interface NameContinuations {
  readonly keywords: readonly string[];
  readonly parameterSlot: boolean;
  readonly nameEnds: boolean;
}

/** A name claimed by two checked families: the first one (registry order) keeps it. */
export interface DuplicateClaim {
  readonly pattern: string;
  readonly kept: string;
  readonly ignored: string;
}

interface TrieNode {
  readonly children: Map<string, TrieNode>;
  wildcard: TrieNode | undefined;
  readonly entries: NameEntry[];
}

const newNode = (): TrieNode => ({ children: new Map(), wildcard: undefined, entries: [] });

export class NameIndex {
  private readonly root = newNode();
  private readonly claimed = new Map<string, NameEntry>();
  readonly duplicates: DuplicateClaim[] = [];

  constructor(registry: CommandRegistry) {
    for (const family of registry.checkedFamilies) {
      for (const pattern of family.commands) this.add(pattern, family, true);
    }
    for (const pattern of registry.catalogue.commands) this.add(pattern, registry.catalogue, false);
  }

  /** Every entry, checked first (for reports: which names are fully checked). */
  entries(): NameEntry[] {
    return [...this.claimed.values()];
  }

  /** The entry for a pattern, preferring the checked one. */
  lookup(pattern: string): NameEntry | undefined {
    return this.claimed.get(`checked ${pattern}`) ?? this.claimed.get(`name-only ${pattern}`);
  }

  match(tokens: readonly ConfigToken[]): NameEntry[] {
    const found: NameEntry[] = [];
    const walk = (node: TrieNode, depth: number): void => {
      if (depth > 0) found.push(...node.entries);
      const token = tokens[depth];
      if (token === undefined) return;
      const child = node.children.get(token.text);
      if (child) walk(child, depth + 1);
      if (node.wildcard) walk(node.wildcard, depth + 1);
    };
    walk(this.root, 0);
    return found;
  }

  /**
   * What may follow `words` (already typed, lower case) in a command name, for the console's `?`
   * and TAB: the next keywords, whether a parameter slot (`*`) may come next, and whether a whole
   * name lies within `words` (what follows may then be that command's parameters).
   */
  continuations(words: readonly string[]): NameContinuations {
    const keywords = new Set<string>();
    let parameterSlot = false;
    let nameEnds = false;
    const walk = (node: TrieNode, depth: number): void => {
      if (depth === words.length) {
        for (const keyword of node.children.keys()) keywords.add(keyword);
        if (node.wildcard) parameterSlot = true;
        if (node.entries.length > 0 && depth > 0) nameEnds = true;
        return;
      }
      const child = node.children.get(words[depth]!);
      if (child) walk(child, depth + 1);
      if (node.wildcard) walk(node.wildcard, depth + 1);
      // A name that ended earlier takes the remaining words as its parameters.
      if (node.entries.length > 0 && depth > 0) nameEnds = true;
    };
    walk(this.root, 0);
    return { keywords: [...keywords].sort(), parameterSlot, nameEnds };
  }

  choose(tokens: readonly ConfigToken[]): NameChoice | undefined {
    const matches = this.match(tokens);
    if (matches.length === 0) return undefined;
    const byPreference = [...matches].sort(compareEntries);
    const primary = byPreference[0]!;
    const checkedFallbacks = primary.checked ? [] : byPreference.filter((e) => e.checked);
    return { primary, checkedFallbacks };
  }

  private add(pattern: string, family: CommandFamily, checked: boolean): void {
    const claimKey = `${checked ? 'checked' : 'name-only'} ${pattern}`;
    const existing = this.claimed.get(claimKey);
    if (existing) {
      if (checked && existing.family !== family) {
        this.duplicates.push({ pattern, kept: existing.family.name, ignored: family.name });
      }
      return;
    }
    const words = pattern.split(' ');
    const entry: NameEntry = { pattern, words, family, checked, keywordCount: words.filter((w) => w !== '*').length };
    this.claimed.set(claimKey, entry);
    let node = this.root;
    for (const word of words) {
      if (word === '*') {
        node.wildcard ??= newNode();
        node = node.wildcard;
      } else {
        let child = node.children.get(word);
        if (!child) {
          child = newNode();
          node.children.set(word, child);
        }
        node = child;
      }
    }
    node.entries.push(entry);
  }
}

function compareEntries(a: NameEntry, b: NameEntry): number {
  return (
    b.words.length - a.words.length ||
    Number(b.checked) - Number(a.checked) ||
    b.keywordCount - a.keywordCount
  );
}
