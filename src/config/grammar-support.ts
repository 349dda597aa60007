/**
 * What every grammar/*.ne file shares: a nearley lexer that walks an array of ConfigTokens
 * (lines are tokenized first, see tokenize.ts), and token matchers for parameter shapes.
 *
 * In a grammar, a keyword is a nearley literal in lower case ("ipsec"): it is compared with the
 * token's lower-cased `text`, so keywords are case-insensitive. A parameter is `%matcher`, one of
 * the objects exported here (`%int`, `%ipv4`, ...), whose `test` sees the whole ConfigToken; the
 * postprocessor receives the token object too, so `d[2].value` is the parameter as written.
 *
 * When a line does not fit its family's grammar, `runGrammar` says which RTX error the router
 * would print, from what the grammar expected at the first token it could not take: a keyword
 * (`Error: Illegal keyword`), a matcher (its own `mismatch` error), or nothing more
 * (`Error: Insufficient or too many parameters`).
 */
import nearley from 'nearley';
import type { RtxErrorId } from './errors.js';
import type { ConfigToken } from './tokenize.js';

/** nearley's lexer protocol over a pre-tokenized line. `reset` receives the token array. */
class TokenArrayLexer {
  private tokens: readonly ConfigToken[] = [];
  private index = 0;
  reset(chunk: unknown): void {
    this.tokens = chunk as readonly ConfigToken[];
    this.index = 0;
  }
  next(): ConfigToken | undefined {
    return this.tokens[this.index++];
  }
  save(): Record<string, never> {
    return {};
  }
  formatError(token: ConfigToken): string {
    return `unexpected "${token?.value}" at column ${(token?.column ?? 0) + 1}`;
  }
  /** No named token types: every `%name` in a grammar refers to a matcher object below. */
  has(): boolean {
    return false;
  }
}

export const lexer = new TokenArrayLexer();

export interface TokenMatcher {
  /** Shown in error messages: what the parameter should have looked like. */
  readonly expects: string;
  /** The RTX error for a token that does not fit here (default: `illegal-keyword`). */
  readonly mismatch?: RtxErrorId;
  test(token: ConfigToken): boolean;
}

const matcher = (
  expects: string,
  test: (token: ConfigToken) => boolean,
  mismatch?: RtxErrorId,
): TokenMatcher => (mismatch === undefined ? { expects, test } : { expects, test, mismatch });

const IPV4_OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = `${IPV4_OCTET}(\\.${IPV4_OCTET}){3}`;
const MASK = `(${IPV4}|3[0-2]|[12]?\\d)`;
const ipv4Pattern = new RegExp(`^${IPV4}$`);
const ipv4PrefixPattern = new RegExp(`^${IPV4}/(3[0-2]|[12]?\\d)$`);
const ipv4MaskPattern = new RegExp(`^${IPV4}/${MASK}$`);
const ipv4RangePattern = new RegExp(`^${IPV4}(-${IPV4})?(/${MASK})?$`);
const ipv4AnyMaskPattern = new RegExp(`^${IPV4}(/${MASK})?$`);
// IPv6 text is only checked for its alphabet here: RTX1500 configs rarely carry it.
const ipv6Pattern = /^[0-9a-f:.]*:[0-9a-f:.]*(\/\d{1,3})?$/i;

/** Any single parameter. */
export const word = matcher('a parameter', () => true);
/** A decimal integer (range checks belong to the command's validation, not to the grammar). */
export const int = matcher('an integer', (t) => /^\d+$/.test(t.value), 'parameter-must-be-integer');
/** A dotted-quad IPv4 address. */
export const ipv4 = matcher('an IPv4 address', (t) => ipv4Pattern.test(t.value), 'unrecognized-ip-address');
/** `a.b.c.d/len`. */
export const ipv4Prefix = matcher(
  'an IPv4 address/prefix length',
  (t) => ipv4PrefixPattern.test(t.value),
  'unrecognized-ip-address',
);
/** `a.b.c.d/len` or `a.b.c.d/m.m.m.m`. */
export const ipv4WithMask = matcher(
  'an IPv4 address/mask',
  (t) => ipv4MaskPattern.test(t.value),
  'unrecognized-ip-address',
);
/** `a.b.c.d` with an optional `/len` or `/m.m.m.m`. */
export const ipv4OptionalMask = matcher(
  'an IPv4 address[/mask]',
  (t) => ipv4AnyMaskPattern.test(t.value),
  'unrecognized-ip-address',
);
/** `a.b.c.d[-e.f.g.h][/mask]`: an address or a range, as address pools are written. */
export const ipv4Range = matcher(
  'an IPv4 address or range[/mask]',
  (t) => ipv4RangePattern.test(t.value),
  'unrecognized-ip-address',
);
/** An IPv4 or IPv6 address (IPv6 checked loosely). */
export const ipAddress = matcher(
  'an IP address',
  (t) => ipv4Pattern.test(t.value) || ipv6Pattern.test(t.value),
  'unrecognized-ip-address',
);
/** `key=value` (the value may have been quoted: `prefix="9#"`). */
export const keyValue = matcher('a key=value parameter', (t) => /^[A-Za-z][\w.-]*=/.test(t.value));
/** A parameter that is not a `key=value` option. */
export const plainWord = matcher('a parameter', (t) => !/^[A-Za-z][\w.-]*=/.test(t.value) || t.quoted);
/** `0x` followed by hexadecimal digits (a key written in hex). */
export const hexKey = matcher('a 0x... hexadecimal key', (t) => /^0x([0-9a-f]{2})+$/i.test(t.value));
/** `N` or `N-M`: one number or a range of numbers. */
export const intOrRange = matcher(
  'a number or N-M range',
  (t) => /^\d+(-\d+)?$/.test(t.value),
  'parameter-must-be-integer',
);
/** `70%`. */
export const percent = matcher('a percentage', (t) => /^\d+%$/.test(t.value), 'parameter-out-of-range');
/**
 * An interface name as RTX writes it: `lan1`, `lan1.2` (LAN division), `lan1/3` (tagged VLAN),
 * `vlan1`, `bridge1`, `loopback1`, `wan1`, `bri1`, `null`, and the selected `pp` / `tunnel`.
 */
export const interfaceName = matcher('an interface name', (t) =>
  /^(lan\d+([./]\d+)?|vlan\d+|bridge\d+|loopback\d+|wan\d+|bri\d+(\.\d+)?|pp|tunnel|null)$/.test(t.text),
);
/** A LAN-side interface name (no pp/tunnel/null). */
export const lanInterfaceName = matcher('a LAN interface name', (t) =>
  /^(lan\d+([./]\d+)?|vlan\d+|bridge\d+|loopback\d+|wan\d+)$/.test(t.text),
);

export const isIpv4 = (text: string): boolean => ipv4Pattern.test(text);

/** Returns a matcher for keyword-looking tokens outside a fixed set (for open enumerations). */
export const oneOf = (expects: string, words: readonly string[]): TokenMatcher => {
  const set = new Set(words);
  return matcher(expects, (t) => set.has(t.text));
};

/** Any parameter except the listed keywords (so that `any` and a host name never both match). */
export const wordExcept = (expects: string, keywords: readonly string[]): TokenMatcher => {
  const set = new Set(keywords);
  return matcher(expects, (t) => t.quoted || !set.has(t.text));
};

/** A host name: has a letter, is not an IPv4 address and is none of the listed keywords. */
export const hostNameExcept = (keywords: readonly string[]): TokenMatcher => {
  const set = new Set(keywords);
  return matcher(
    'a host name',
    (t) =>
      /[a-z]/i.test(t.value) && !t.value.includes(':') && !ipv4Pattern.test(t.value) && (t.quoted || !set.has(t.text)),
    'unrecognized-ip-address',
  );
};

/** `key=...` for one key (case-insensitive key). */
export const keyValueOf = (key: string): TokenMatcher => {
  const prefix = `${key}=`;
  return matcher(`${key}=...`, (t) => t.text.startsWith(prefix));
};

/** The part after the first `=` of a `key=value` token. */
export const valueAfterEquals = (token: ConfigToken): string => token.value.slice(token.value.indexOf('=') + 1);

type Compiled = nearley.CompiledRules;
const grammarCache = new WeakMap<Compiled, nearley.Grammar>();

/** One nearley Grammar per compiled family grammar, built on first use. */
export function grammarOf(compiled: Compiled): nearley.Grammar {
  let grammar = grammarCache.get(compiled);
  if (grammar === undefined) {
    grammar = nearley.Grammar.fromCompiled(compiled);
    grammarCache.set(compiled, grammar);
  }
  return grammar;
}

/** Runs a compiled family grammar over a tokenized line. Returns every complete parse. */
export function parseTokens<T>(grammar: Compiled | nearley.Grammar, tokens: readonly ConfigToken[]): T[] {
  const run = runGrammar<T>(grammar, tokens);
  return run.ok ? run.results : [];
}

export type GrammarRun<T> =
  | { readonly ok: true; readonly results: T[] }
  | {
      readonly ok: false;
      readonly error: RtxErrorId;
      /** Index of the first token the grammar could not take (tokens.length: the line ended early). */
      readonly tokenIndex: number;
      readonly expected: readonly string[];
    };

interface EarleyState {
  rule: { symbols: unknown[] };
  dot: number;
}
interface EarleyColumn {
  states: EarleyState[];
}

interface NarrowedGrammars {
  /** First keyword -> the keywords that may follow it in some start alternative. */
  readonly secondKeywords: Map<string, Set<string>>;
  readonly byLeadingWords: Map<string, nearley.Grammar>;
}
const narrowedCache = new WeakMap<Compiled, NarrowedGrammars>();

const literalOf = (symbol: unknown): string | undefined =>
  symbol !== null && typeof symbol === 'object' && 'literal' in symbol ? String(symbol.literal) : undefined;

/**
 * The grammar with only the start alternatives that can begin with the line's first two words.
 * A family grammar's start rule has one alternative per command form; nearley would predict all
 * of them for every line. Alternatives whose leading keywords differ from the line's cannot
 * match, so dropping them changes no result, and the per-line work falls to the few forms of the
 * command at hand. Cached per keyword pair the grammar knows.
 */
function narrowedGrammar(compiled: Compiled, tokens: readonly ConfigToken[]): nearley.Grammar {
  let narrowed = narrowedCache.get(compiled);
  if (narrowed === undefined) {
    const secondKeywords = new Map<string, Set<string>>();
    for (const rule of compiled.ParserRules) {
      if (rule.name !== compiled.ParserStart) continue;
      const first = literalOf(rule.symbols[0]);
      const second = literalOf(rule.symbols[1]);
      if (first === undefined) continue;
      const seconds = secondKeywords.get(first) ?? new Set<string>();
      if (second !== undefined) seconds.add(second);
      secondKeywords.set(first, seconds);
    }
    narrowed = { secondKeywords, byLeadingWords: new Map() };
    narrowedCache.set(compiled, narrowed);
  }
  const first = tokens[0]?.text ?? '';
  const second = tokens[1]?.text ?? '';
  const knownSecond = narrowed.secondKeywords.get(first)?.has(second) === true;
  const cacheKey = `${first}\u0000${knownSecond ? second : ''}`;
  let grammar = narrowed.byLeadingWords.get(cacheKey);
  if (grammar === undefined) {
    const keeps = (symbol: unknown, word: string, known: boolean): boolean => {
      const literal = literalOf(symbol);
      // Unknown second words only rule out alternatives that need a keyword there.
      return literal === undefined || (known ? literal === word : false);
    };
    const rules = compiled.ParserRules.filter(
      (rule) =>
        rule.name !== compiled.ParserStart ||
        // An alternative that starts with a sub-rule (`service "service" ...`) is always kept.
        literalOf(rule.symbols[0]) === undefined ||
        (keeps(rule.symbols[0], first, true) && keeps(rule.symbols[1], second, knownSecond)),
    );
    grammar = nearley.Grammar.fromCompiled({ ...compiled, ParserRules: rules });
    narrowed.byLeadingWords.set(cacheKey, grammar);
  }
  return grammar;
}

// Identical lines are common (` ip tunnel tcp mss limit auto` in every tunnel block) and a parse
// depends only on the words: remember recent results per grammar. Results are never mutated.
const MEMO_LIMIT = 4096;
const memoCache = new WeakMap<Compiled, Map<string, GrammarRun<unknown>>>();

const memoKey = (tokens: readonly ConfigToken[]): string =>
  tokens.map((t) => (t.quoted ? `"${t.value}` : t.value)).join('\u0000');

/** Runs a grammar and, on failure, classifies the failure as the RTX error the router prints. */
export function runGrammar<T>(grammar: Compiled | nearley.Grammar, tokens: readonly ConfigToken[]): GrammarRun<T> {
  if (grammar instanceof nearley.Grammar) return runParser<T>(grammar, tokens);
  let memo = memoCache.get(grammar);
  if (memo === undefined) memoCache.set(grammar, (memo = new Map()));
  const key = memoKey(tokens);
  const known = memo.get(key);
  if (known !== undefined) return known as GrammarRun<T>;
  let run = runParser<T>(narrowedGrammar(grammar, tokens), tokens);
  // A failure within the leading keywords is reported from the full grammar, so that what was
  // expected there (and so the RTX error) is exactly what it would have been without narrowing.
  if (!run.ok && run.tokenIndex <= 1) run = runParser<T>(grammarOf(grammar), tokens);
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, run);
  return run;
}

function runParser<T>(compiledGrammar: nearley.Grammar, tokens: readonly ConfigToken[]): GrammarRun<T> {
  const parser = new nearley.Parser(compiledGrammar);
  try {
    parser.feed(tokens as unknown as string);
  } catch (caught) {
    const offset = (caught as { offset?: number }).offset ?? 0;
    const table = (parser as unknown as { table: EarleyColumn[] }).table;
    const column = table[table.length - 2];
    const expected = column === undefined ? [] : expectedTerminals(column);
    const token = tokens[offset];
    return { ok: false, error: classify(expected, token), tokenIndex: offset, expected: expected.map(describe) };
  }
  const results = parser.results as T[];
  if (results.length > 0) return { ok: true, results };
  return { ok: false, error: 'insufficient-or-too-many-parameters', tokenIndex: tokens.length, expected: [] };
}

/**
 * What may follow `tokens` (complete words of one command line) in its family's grammar, for the
 * console's `?` and TAB: the keywords, the descriptions of the values (`an integer`), and
 * whether the line is already a whole command. Nothing when the words do not parse.
 */
export function parameterContinuations(
  grammar: Compiled,
  tokens: readonly ConfigToken[],
): { keywords: string[]; values: string[]; complete: boolean } {
  const parser = new nearley.Parser(grammarOf(grammar));
  try {
    parser.feed(tokens as unknown as string);
  } catch {
    return { keywords: [], values: [], complete: false };
  }
  const table = (parser as unknown as { table: EarleyColumn[] }).table;
  const column = table[table.length - 1];
  const expected = column === undefined ? [] : expectedTerminals(column);
  const keywords = new Set<string>();
  const values = new Set<string>();
  for (const terminal of expected) {
    if ('literal' in terminal) keywords.add(terminal.literal);
    else values.add(terminal.expects);
  }
  return { keywords: [...keywords].sort(), values: [...values], complete: (parser.results as unknown[]).length > 0 };
}

type Terminal = { literal: string } | TokenMatcher;

function expectedTerminals(column: EarleyColumn): Terminal[] {
  const found: Terminal[] = [];
  for (const state of column.states) {
    const next = state.rule.symbols[state.dot];
    if (next !== undefined && typeof next !== 'string') found.push(next as Terminal);
  }
  return found;
}

// When several shapes were possible, the complaint follows what the token looks like: a word
// where keywords were possible is an unknown keyword; digits where an address or a number was
// possible are a bad address or a bad number.
const numericPriority: readonly RtxErrorId[] = [
  'unrecognized-ip-address',
  'parameter-must-be-integer',
  'parameter-out-of-range',
  'illegal-keyword',
];
const wordPriority: readonly RtxErrorId[] = [
  'illegal-keyword',
  'unrecognized-ip-address',
  'parameter-must-be-integer',
  'parameter-out-of-range',
];

function classify(expected: readonly Terminal[], token: ConfigToken | undefined): RtxErrorId {
  if (expected.length === 0) return 'insufficient-or-too-many-parameters';
  const kinds = new Set<RtxErrorId>(
    expected.map((t) => ('literal' in t ? 'illegal-keyword' : (t.mismatch ?? 'illegal-keyword'))),
  );
  const looksNumeric = token !== undefined && /^[\d.:/-]+$/.test(token.value);
  const priority = looksNumeric ? numericPriority : wordPriority;
  return priority.find((id) => kinds.has(id)) ?? 'illegal-keyword';
}

function describe(terminal: Terminal): string {
  return 'literal' in terminal ? JSON.stringify(terminal.literal) : terminal.expects;
}
