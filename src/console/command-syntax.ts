/**
 * How an operational command is declared (FRRouting's one-declaration-per-command, style.md):
 * its name words, its parameter slots, who may run it and its help in both languages. Parsing,
 * the errors for bad parameters, `?` and TAB all come from the declaration; no command parses
 * its own words.
 */
import type { RtxErrorId } from '../config/errors.js';

/** A parameter value: an integer in a range, optionally a keyword instead (`all`, `anonymous`). */
export interface ValueSpec {
  /** How `?` shows the value, e.g. `<1-100>`. */
  readonly label: string;
  readonly min: number;
  readonly max: number;
  readonly keywords?: readonly string[];
  /** `ipv4`: an IPv4 address instead of an integer (`ping HOST`, `-sa ADDRESS`); min and max are then unused. */
  readonly format?: 'ipv4';
}

export type ParameterSlot =
  /** `detail`, `reverse`, `save`: a keyword alone. */
  | { readonly kind: 'flag'; readonly name: string; readonly keyword: string }
  /** `gateway N`: a keyword and its value. */
  | { readonly kind: 'keyword-value'; readonly name: string; readonly keyword: string; readonly value: ValueSpec }
  /** `N`: a value alone, required. */
  | { readonly kind: 'value'; readonly name: string; readonly value: ValueSpec }
  /** One of several `keyword value` forms (`show config tunnel N | pp N`). */
  | { readonly kind: 'choice'; readonly name: string; readonly options: readonly { readonly keyword: string; readonly value: ValueSpec }[] };

/** Parsed parameters by slot name: flags are `true`, values numbers or keywords, choices `{ keyword, value }`. */
export type ParsedArguments = ReadonlyMap<string, true | number | string | { readonly keyword: string; readonly value: number | string }>;

export type Privilege = 'user' | 'administrator';

export interface HelpText {
  readonly en: string;
  readonly ja: string;
}

export interface CommandDeclaration<Context, Effect> {
  /** Lower-case keywords, e.g. `['show', 'ipsec', 'sa']`. */
  readonly name: readonly string[];
  /** Optional slots, in order: each may be left out; `value` slots are required. */
  readonly parameters: readonly ParameterSlot[];
  /** The lowest level that may run it (`administrator`: `Error: Administrator use only` for users). */
  readonly privilege: Privilege;
  readonly help: HelpText;
  /** How we know the output: docs/console.md prints this. */
  readonly output: { readonly status: 'verified' | 'assumed' | 'none'; readonly source: string };
  readonly run: (args: ParsedArguments, context: Context) => Effect;
  /** For a command that takes no parameters: the error when some are given anyway (default from the slots). */
  readonly parametersRefused?: RtxErrorId;
}

export type ArgumentParse =
  | { readonly ok: true; readonly args: ParsedArguments }
  | { readonly ok: false; readonly error: RtxErrorId };

/** Parses the words after the name against the slots, in order. */
export function parseArguments(slots: readonly ParameterSlot[], words: readonly string[]): ArgumentParse {
  const args = new Map<string, true | number | string | { keyword: string; value: number | string }>();
  let at = 0;
  for (const slot of slots) {
    const word = words[at];
    switch (slot.kind) {
      case 'flag':
        if (word === slot.keyword) {
          args.set(slot.name, true);
          at++;
        }
        break;
      case 'keyword-value':
      case 'choice': {
        const options = slot.kind === 'choice' ? slot.options : [{ keyword: slot.keyword, value: slot.value }];
        const option = options.find((o) => o.keyword === word);
        if (option === undefined) break;
        const valueWord = words[at + 1];
        if (valueWord === undefined) return { ok: false, error: 'insufficient-or-too-many-parameters' };
        const value = parseValue(option.value, valueWord);
        if (!value.ok) return value;
        args.set(slot.name, slot.kind === 'choice' ? { keyword: option.keyword, value: value.value } : value.value);
        at += 2;
        break;
      }
      case 'value': {
        if (word === undefined) return { ok: false, error: 'insufficient-or-too-many-parameters' };
        const value = parseValue(slot.value, word);
        if (!value.ok) return value;
        args.set(slot.name, value.value);
        at++;
        break;
      }
    }
  }
  if (at < words.length) {
    // A word no slot took: a keyword we do not know, or one too many.
    const extra = words[at]!;
    return { ok: false, error: /^\d+$/.test(extra) ? 'insufficient-or-too-many-parameters' : 'illegal-keyword' };
  }
  return { ok: true, args };
}

type ValueParse = { readonly ok: true; readonly value: number | string } | { readonly ok: false; readonly error: RtxErrorId };

function parseValue(spec: ValueSpec, word: string): ValueParse {
  if (spec.format === 'ipv4') {
    const octets = word.split('.');
    const valid = octets.length === 4 && octets.every((octet) => /^\d{1,3}$/.test(octet) && Number(octet) <= 255);
    return valid ? { ok: true, value: word } : { ok: false, error: 'unrecognized-ip-address' };
  }
  if (spec.keywords?.includes(word)) return { ok: true, value: word };
  if (!/^-?\d+$/.test(word)) {
    return { ok: false, error: /^[a-z]/.test(word) && spec.keywords !== undefined ? 'illegal-keyword' : 'parameter-must-be-integer' };
  }
  const value = Number(word);
  if (value < spec.min || value > spec.max) return { ok: false, error: 'parameter-out-of-range' };
  return { ok: true, value };
}

/**
 * What `?` and TAB offer after `words` (the parameter words typed so far, complete): the
 * keywords of the slots that may come next, and value labels (`<1-100>`) where a value is due.
 */
export function nextParameterWords(slots: readonly ParameterSlot[], words: readonly string[]): { keywords: string[]; labels: string[] } {
  let at = 0;
  let slotIndex = 0;
  // Consume complete words as parseArguments would.
  for (; slotIndex < slots.length && at < words.length; slotIndex++) {
    const slot = slots[slotIndex]!;
    const word = words[at]!;
    if (slot.kind === 'flag') {
      if (word === slot.keyword) at++;
    } else if (slot.kind === 'value') {
      at++;
    } else {
      const keywords = slot.kind === 'choice' ? slot.options.map((o) => o.keyword) : [slot.keyword];
      if (keywords.includes(word)) {
        if (at + 1 >= words.length) {
          const spec = slot.kind === 'choice' ? slot.options.find((o) => o.keyword === word)!.value : slot.value;
          return { keywords: [...(spec.keywords ?? [])], labels: [spec.label] };
        }
        at += 2;
      }
    }
  }
  if (at < words.length) return { keywords: [], labels: [] };
  const keywords: string[] = [];
  const labels: string[] = [];
  for (const slot of slots.slice(slotIndex)) {
    if (slot.kind === 'flag') keywords.push(slot.keyword);
    else if (slot.kind === 'keyword-value') keywords.push(slot.keyword);
    else if (slot.kind === 'choice') keywords.push(...slot.options.map((o) => o.keyword));
    else {
      keywords.push(...(slot.value.keywords ?? []));
      labels.push(slot.value.label);
      break; // a required value: nothing after it can come first
    }
  }
  return { keywords, labels };
}
