/**
 * The keying rule, checked over the whole catalogue: a command's identity is what its `no` form
 * must name (scripts/gen-catalogue.mjs, docs/config.md "Keys"). For every configuration syntax
 * line of the reference, the example line and a copy that differs in one identifying word are
 * entered one after the other: both must survive, in the model and in `show config`. Commands
 * whose `no` form does not say (keyed by the whole line, assumed) must keep two lines that differ
 * in their last word.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogueIdentity } from '../../src/config/catalogue/identity.js';
import { catalogueNoForms } from '../../src/config/catalogue/identities.js';
import { catalogueSyntaxLines } from '../../src/config/catalogue/syntax-lines.js';
import { ConfigModel } from '../../src/config/model.js';
import { ConfigSession, interpreterFor, readConfig } from '../../src/config/read-config.js';
import { showConfigLines } from '../../src/config/show-config/show-config.js';
import { tokenizeLine } from '../../src/config/tokenize.js';
import { repoRoot } from '../support/paths.js';
import { exampleLine } from './catalogue-examples.js';

const interpreter = interpreterFor();
const NOW = new Date('2024-01-01T00:00:00Z');
const SELECTIONS = [[], ['pp select 1'], ['tunnel select 1']] as const;

/** Other values of the same shape, most plausible first (the checked families refuse odd ones). */
function alternativesTo(word: string): string[] {
  const eq = word.indexOf('=');
  if (eq > 0) return alternativesTo(word.slice(eq + 1)).map((v) => `${word.slice(0, eq + 1)}${v}`);
  const swaps: Record<string, string> = {
    in: 'out', out: 'in', on: 'off', off: 'on', pass: 'reject', reject: 'pass',
    primary: 'secondary', secondary: 'primary', tcp: 'udp', udp: 'tcp', 'ipsec-sa': 'isakmp-sa', 'isakmp-sa': 'ipsec-sa',
  };
  const out: string[] = [];
  if (swaps[word] !== undefined) out.push(swaps[word]!);
  if (/^\d+$/.test(word)) out.push(String(Number(word) + 1), String(Math.max(0, Number(word) - 1)));
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)(.*)$/.exec(word);
  if (v4) out.push(`${v4[1]}.${v4[2]}.${Number(v4[3]) + 1}.${v4[4]}${v4[5]}`);
  if (word.includes('2001:db8:')) out.push(word.replace('2001:db8:', '2001:db8:1:'));
  const numbered = /^([a-z]+)(\d+)$/.exec(word);
  if (numbered) out.push(`${numbered[1]}${Number(numbered[2]) + 1}`);
  out.push(`${word}x`);
  return out.filter((v) => v !== word);
}

interface Attempt {
  readonly session: ConfigSession;
  /** The selection the line needed (`pp select 1`, ...). */
  readonly setup: readonly string[];
  /** The words of the name the line was dispatched to (a checked family's may be shorter). */
  readonly nameLength: number;
  readonly checked: boolean;
}

/** Runs the line in the first selection that accepts it; undefined when none does. */
function enter(line: string): Attempt | undefined {
  for (const setup of SELECTIONS) {
    const session = new ConfigSession(new ConfigModel(), interpreter);
    for (const s of setup) session.execute(s);
    if (session.execute(line).kind !== 'applied') continue;
    const tokens = tokenizeLine(line);
    const choice = tokens.ok ? interpreter.index.choose(tokens.tokens) : undefined;
    if (choice === undefined) return undefined;
    const entry = choice.checkedFallbacks.find((f) => f.words.length < choice.primary.words.length && session.model.commands.some((c) => c.name === f.pattern)) ?? choice.primary;
    return { session, setup, nameLength: entry.words.length, checked: entry.checked };
  }
  return undefined;
}

/** The first accepted line of each command in the form fixtures (written from real configs' shapes). */
const FIXTURE_LINES: ReadonlyMap<string, string> = (() => {
  const dir = join(repoRoot, 'test', 'fixtures', 'config', 'forms');
  const found = new Map<string, string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.txt'))) {
    for (const command of readConfig(readFileSync(join(dir, file))).model.commands) {
      const line = command.source.text.trim();
      if (!found.has(command.name) && !line.includes('<<')) found.set(command.name, line);
    }
  }
  return found;
})();

interface Case {
  readonly name: string;
  readonly first: string;
  readonly second: string;
}

/**
 * The example and, per identifying word, a variant differing in that word. Commands without a
 * countable `no` form are identified by the whole line: the variant differs in the last word
 * (only for name-only commands; a checked family that claims such a command decides its key
 * from the command's description, see docs/config.md).
 */
function casesFor(name: string, syntax: string, section: string): { cases: Case[]; untestable?: string } {
  const generic = exampleLine(syntax, section);
  // The generic filler picks values some checked commands refuse: then a real-shaped line of the
  // same command from the form fixtures stands in.
  const first = enter(generic) === undefined ? (FIXTURE_LINES.get(name) ?? generic) : generic;
  const attempt = enter(first);
  if (attempt === undefined) return { cases: [], untestable: `${first}: example refused` };
  const tokenized = tokenizeLine(first);
  if (!tokenized.ok) return { cases: [], untestable: `${first}: not tokenized` };
  const tokens = first.split(/\s+/);
  const catalogueNameLength = name.split(' ').length;
  const params = tokenized.tokens.slice(catalogueNameLength);
  const identified = catalogueIdentity(name)(params).length;
  const whole = identified === params.length && !isCounted(name, params.length);
  if (whole && attempt.checked) return { cases: [] };
  // The last word, but not a here-document's `<<EOF` (its body is not part of this walk).
  const last = params.map((p) => p.raw.startsWith('<<')).lastIndexOf(false);
  const positions = whole ? (last >= 0 ? [last] : []) : [...Array(identified).keys()];
  const cases: Case[] = [];
  for (const position of positions) {
    const at = catalogueNameLength + position;
    // A word of the checked family's own name (`ip lan1 secure filter name`) is a keyword there.
    if (at < attempt.nameLength) continue;
    const variant = alternativesTo(tokens[at]!)
      .map((alt) => [...tokens.slice(0, at), alt, ...tokens.slice(at + 1)].join(' '))
      .find((line) => enter(line) !== undefined);
    if (variant === undefined) return { cases, untestable: `${first}: no accepted variant of word ${position + 1}` };
    cases.push({ name, first, second: variant });
  }
  return { cases };
}

/** True when a `no` form of `name` names exactly `count` words (not the whole-line fallback). */
function isCounted(name: string, count: number): boolean {
  const forms = catalogueNoForms.get(name)?.forms ?? [null];
  return !forms.includes(null) && forms.some((f) => f !== null && f.length === count);
}

const built = catalogueSyntaxLines.map((s) => casesFor(s.name, s.syntax, s.section));
const cases = built.flatMap((b) => b.cases);
const untestable = built.flatMap((b) => (b.untestable === undefined ? [] : [b.untestable]));

/** A line as a file holds it: a here-document opener gets a body and its terminator. */
function asFileText(line: string): string {
  const terminator = /<<(\S+)$/.exec(line)?.[1];
  return terminator === undefined ? line : `${line}\nprint("x")\n${terminator}`;
}

/** The config of the first line (in its selection) followed by the second. */
function both(c: Case): ConfigModel {
  const { setup } = enter(c.first)!;
  return readConfig([...setup, asFileText(c.first), asFileText(c.second)].join('\n')).model;
}

describe('keys: two lines that differ in an identifying word both survive (every catalogue command)', () => {
  it('covers the commands that have identifying words', () => {
    const names = new Set(cases.map((c) => c.name));
    console.log(
      `keys invariant: ${cases.length} pairs over ${names.size} commands; ${untestable.length} syntax lines untestable:\n  ${untestable.join('\n  ')}`,
    );
    expect(names.size).toBeGreaterThan(350);
  });

  it('keeps both lines in the model', () => {
    const lost = cases.filter((c) => {
      const single = enter(c.first)!.session.model.size;
      return both(c).size !== single + 1;
    });
    expect(lost.map((c) => `${c.first}  /  ${c.second}`)).toEqual([]);
  });

  it('prints both lines in show config: reading the print back gives both', () => {
    const lost = cases.filter((c) => {
      const model = both(c);
      const reread = readConfig(showConfigLines(model, { now: NOW }).join('\n')).model;
      return reread.size !== model.size || model.commands.some((m) => reread.get(m.key) === undefined);
    });
    expect(lost.map((c) => `${c.first}  /  ${c.second}`)).toEqual([]);
  });
});
