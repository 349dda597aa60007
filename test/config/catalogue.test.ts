/**
 * The catalogue walk: every configuration syntax line of Yamaha's command reference, filled with
 * plausible values, must be recognised by name (never `Error: Invalid command name`); the report
 * says how many commands also get full parameter checking from a family.
 */
import { describe, expect, it } from 'vitest';
import { catalogueSyntaxLines } from '../../src/config/catalogue/syntax-lines.js';
import { catalogueNames } from '../../src/config/catalogue/names.js';
import { absentOnRtx1500, catalogueFamily } from '../../src/config/families/catalogue.js';
import { ConfigSession, interpreterFor } from '../../src/config/read-config.js';
import { tokenizeLine } from '../../src/config/tokenize.js';
import { runGrammar } from '../../src/config/grammar-support.js';
import { exampleLine } from './catalogue-examples.js';

const interpreter = interpreterFor();

interface Walked {
  readonly name: string;
  /** The name pattern the line was dispatched to. */
  readonly dispatched: string;
  readonly line: string;
  readonly recognised: boolean;
  readonly checked: boolean;
  readonly accepted: boolean;
  readonly error?: string;
}

/** Runs one example as the router would, selecting a pp or tunnel first when the command needs one. */
function walk(name: string, line: string): Walked {
  const tokens = tokenizeLine(line);
  if (!tokens.ok) return { name, dispatched: '', line, recognised: false, checked: false, accepted: false, error: tokens.problem };
  const choice = interpreter.index.choose(tokens.tokens);
  const checked = choice !== undefined && (choice.primary.checked || choice.checkedFallbacks.length > 0);
  const dispatched = choice?.checkedFallbacks[0]?.pattern ?? choice?.primary.pattern ?? '';
  let result = new ConfigSession().execute(line);
  for (const select of ['pp select 1', 'tunnel select 1']) {
    if (result.kind !== 'error' || !/select-beforehand/.test(result.error)) break;
    const session = new ConfigSession();
    session.execute(select);
    result = session.execute(line);
  }
  const error = result.kind === 'error' ? result.error : undefined;
  return {
    name,
    dispatched,
    line,
    recognised: error !== 'invalid-command-name',
    checked,
    accepted: result.kind !== 'error',
    ...(error === undefined ? {} : { error }),
  };
}

const walked = catalogueSyntaxLines.map((entry) => walk(entry.name, exampleLine(entry.syntax, entry.section)));

describe('the command catalogue (configuration chapters of the reference)', () => {
  it('recognises every syntax line by name: none is answered Error: Invalid command name', () => {
    const names = new Set(catalogueNames);
    const recognisedNames = new Set(walked.filter((w) => w.recognised).map((w) => w.name));
    const checkedNames = new Set(walked.filter((w) => w.checked).map((w) => w.name));
    const accepted = walked.filter((w) => w.checked && w.accepted).length;
    console.log(
      [
        `catalogue: ${catalogueSyntaxLines.length} syntax lines, ${names.size} commands`,
        `recognised by name: ${recognisedNames.size}/${names.size} commands (${walked.filter((w) => w.recognised).length}/${walked.length} lines)`,
        `with full parameter checking: ${checkedNames.size} commands (${walked.filter((w) => w.checked).length} lines; ` +
          `${accepted} of those example lines accepted as filled)`,
        `known absent on RTX1500 Rev.8.03: ${absentOnRtx1500.size} commands`,
      ].join('\n'),
    );
    expect(walked.filter((w) => !w.recognised).map((w) => w.line)).toEqual([]);
    expect(recognisedNames.size).toBe(names.size);
  });

  it('dispatches each example to its own name, or to a family that checks it in full', () => {
    const strays = walked.filter((w) => w.dispatched !== w.name && !w.checked).map((w) => `${w.line} -> ${w.dispatched}`);
    expect(strays).toEqual([]);
  });

  it('derives names from the reference: interface slots become *, no-forms stay out', () => {
    const byName = new Map(catalogueSyntaxLines.map((l) => [l.name, l]));
    expect(byName.get('ip * address')?.section).toBe('8.1.2');
    expect(byName.get('nat descriptor masquerade static')?.chapter).toBe('NAT 機能');
    expect(byName.get('dhcp scope option')?.section).toBe('12.1.8');
    // Repaired marking errors: `<user> attribute` (rule 1), `console <lines> <lines>` (rule 2),
    // `ipsec ike <group> <gateway_id> <group>` (rule 3), `wan1` in the mobile chapter.
    for (const name of ['user attribute', 'console lines', 'ipsec ike group', 'wan1 bind', 'snmp trap enable snmp']) {
      expect(byName.has(name), name).toBe(true);
    }
    expect(catalogueNames.some((n) => n.startsWith('no '))).toBe(false);
    expect(catalogueSyntaxLines.some((l) => l.chapter === '操作' || l.chapter === '状態の表示')).toBe(false);
  });

  it('parses a line by name only with the generated grammar, keeping slots and arguments', () => {
    const tokens = tokenizeLine('ip lan1 intrusion detection in on reject=on');
    if (!tokens.ok) throw new Error('tokenize');
    const run = runGrammar<{ name: string; params: { slots: string[]; args: string[] } }>(catalogueFamily.grammar, tokens.tokens);
    expect(run.ok && run.results).toEqual([
      { name: 'ip * intrusion detection', params: { slots: ['lan1'], args: ['in', 'on', 'reject=on'] } },
    ]);
  });

  it('answers an unknown command Invalid command name', () => {
    expect(new ConfigSession().execute('frobnicate lan1 on')).toEqual({ kind: 'error', error: 'invalid-command-name' });
  });

  it('lists as absent on RTX1500 only catalogue commands, each with its reason', () => {
    for (const [name, reason] of absentOnRtx1500) {
      expect(catalogueNames, name).toContain(name);
      expect(reason.length).toBeGreaterThan(20);
    }
    expect(absentOnRtx1500.has('ipsec ike version')).toBe(true);
    expect(absentOnRtx1500.has('ipsec ike encryption')).toBe(false);
  });
});
