/**
 * `ip filter` and `ip filter dynamic` check every field (command reference §8.1.10, §8.1.14):
 * every form the reference gives is accepted — lines generated from the catalogue's syntax lines,
 * each optional part present and absent, each parameter through every form its description lists
 * — and malformed fields get the RTX error. A `#` outside quotes starts a comment.
 */
import { describe, expect, it } from 'vitest';
import { catalogueSyntaxLines } from '../../../src/config/catalogue/syntax-lines.js';
import { errorOf, read } from '../support.js';

/** The forms each parameter may take, from the reference's description of it (RTX1500: IPv4 only). */
const ADDRESSES = [
  '*', '192.0.2.1', '192.0.2.*', '*.*.*.*', '192.0.2.1-192.0.2.9', '-192.0.2.9', '192.0.2.1-',
  '192.0.2.1,198.51.100.1', '192.0.2.*,198.51.100.1-198.51.100.5',
];
const FORMS: Record<string, readonly string[]> = {
  filter_num: ['1', '21474836'],
  dyn_filter_num: ['1', '21474836'],
  pass_reject: ['pass', 'pass-log', 'pass-nolog', 'reject', 'reject-log', 'reject-nolog', 'restrict', 'restrict-log', 'restrict-nolog'],
  src_addr: ADDRESSES,
  dest_addr: ADDRESSES,
  srcaddr: ADDRESSES,
  dstaddr: ADDRESSES,
  mask: ['24', '255.255.255.0', '0xffffff00'],
  protocol: [
    '*', '0', '6', '255', 'icmp', 'tcp', 'udp', 'ipv6', 'gre', 'esp', 'ah', 'icmp6', 'tcp,udp', '6,17,47',
    'icmp-error', 'icmp-info', 'tcpsyn', 'tcpfin', 'tcprst', 'established', 'tcpflag=0x0002/0x0017', 'tcpflag!=0x0002/0x0017',
  ],
  src_port_list: ['*', '0', '80', '65535', 'www', 'ftp', 'ftpdata', 'submission', '1024-', '-1023', '6000-6010', '20,21,80', 'ftp,www,1024-2048'],
  dest_port_list: ['*', '80', 'smtp', 'domain', '137-139', 'pop3,submission'],
  filter_list: ['10', '100'],
  option: ['syslog=on', 'syslog=off', 'timeout=60'],
};
/** `ip filter dynamic`'s protocol is an application name (§8.1.14). */
const DYNAMIC_PROTOCOLS = ['tcp', 'udp', 'ftp', 'tftp', 'domain', 'www', 'smtp', 'pop3', 'telnet', 'netmeeting', 'ssh', 'https', 'ping', 'submission', 'netbios_ns', 'ipsec-nat-t', 'dhcpc'];

type Node = { readonly word: string } | { readonly optional: readonly Node[] };

/** `a [b [c]] d` -> nodes (`...` repetition marks are dropped: one of each is enough). */
function parseSyntax(syntax: string): Node[] {
  const tokens = syntax.replace(/\[/g, ' [ ').replace(/\]/g, ' ] ').split(/\s+/).filter((t) => t !== '' && t !== '...');
  let at = 0;
  const sequence = (): Node[] => {
    const nodes: Node[] = [];
    while (at < tokens.length && tokens[at] !== ']') {
      const token = tokens[at++]!;
      if (token === '[') {
        nodes.push({ optional: sequence() });
        at++; // ]
      } else {
        nodes.push({ word: token });
      }
    }
    return nodes;
  };
  return sequence();
}

/** Every choice of optional parts: lists of words. */
function expansions(nodes: readonly Node[]): string[][] {
  let out: string[][] = [[]];
  for (const node of nodes) {
    if ('word' in node) out = out.map((words) => [...words, node.word]);
    else out = out.flatMap((words) => [words, ...expansions(node.optional).map((inner) => [...words, ...inner])]);
  }
  return out;
}

/** One line per form of each parameter, the others at their first form; `/mask` joins the address before it. */
function linesFor(words: readonly string[], dynamic: boolean): string[] {
  const formsOf = (word: string): readonly string[] => {
    const name = /<([^<>]+)>/.exec(word)?.[1];
    if (name === undefined) return [word];
    const forms = dynamic && name === 'protocol' ? DYNAMIC_PROTOCOLS : FORMS[name];
    if (forms === undefined) throw new Error(`no forms for <${name}>`);
    return forms.map((f) => word.replace(`<${name}>`, f));
  };
  const render = (chosen: readonly string[]): string => chosen.join(' ').replace(/ \//g, '/');
  // A mask follows a network address only (§8.1.10 mask): such an address takes the network forms.
  const networkForms = (i: number): readonly string[] | undefined =>
    words[i + 1]?.startsWith('/') && /^<(src_addr|dest_addr|srcaddr|dstaddr)>$/.test(words[i]!) ? ['192.0.2.0', '198.51.100.128'] : undefined;
  const formsAt = (i: number): readonly string[] => networkForms(i) ?? formsOf(words[i]!);
  const first = words.map((_, i) => formsAt(i)[0]!);
  const lines = new Set([render(first)]);
  words.forEach((_, i) => {
    for (const form of formsAt(i)) lines.add(render(first.map((f, j) => (j === i ? form : f))));
  });
  return [...lines];
}

const FILTER_SECTIONS = new Set(['8.1.10', '8.1.14']);
const generated = catalogueSyntaxLines
  .filter((s) => FILTER_SECTIONS.has(s.section) && (s.name === 'ip filter' || s.name === 'ip filter dynamic'))
  .flatMap((s) => expansions(parseSyntax(s.syntax)).flatMap((words) => linesFor(words, s.name === 'ip filter dynamic')));

describe('ip filter / ip filter dynamic accept every form of the reference', () => {
  it(`(${generated.length} lines generated from the catalogue's syntax lines)`, () => {
    expect(generated.length).toBeGreaterThan(150);
    expect(generated).toContain('ip filter 1 pass * * tcpflag=0x0002/0x0017');
    expect(generated).toContain('ip filter dynamic 1 * * filter 10 in 10 out 10 syslog=on');
  });

  it('accepts each of them', () => {
    const refused = generated.map((line) => [line, errorOf(line)]).filter(([, error]) => error !== undefined);
    expect(refused).toEqual([]);
  });
});

describe('ip filter refuses malformed fields with the RTX error', () => {
  it.each([
    ['ip filter 1 pass foo bar baz qux', 'unrecognized-ip-address'],
    ['ip filter 1 pass * example.com', 'unrecognized-ip-address'], // FQDN: Rev.14.01.26 and later
    ['ip filter 1 pass 192.0.2.256 *', 'unrecognized-ip-address'],
    ['ip filter 1 pass 192.0.2 *', 'unrecognized-ip-address'],
    ['ip filter 1 pass 192.0.2.1/33 *', 'unrecognized-ip-address'],
    ['ip filter 1 pass 192.0.2.1,,192.0.2.2 *', 'unrecognized-ip-address'],
    ['ip filter 1 pass - *', 'unrecognized-ip-address'],
    ['ip filter 1 pass */24 *', 'unrecognized-ip-address'], // a mask needs a network address
    ['ip filter 1 pass 192.0.2.1-192.0.2.9/24 *', 'unrecognized-ip-address'],
    ['ip filter 1 pass * * tcpp', 'illegal-keyword'],
    ['ip filter 1 pass * * 256', 'parameter-out-of-range'],
    ['ip filter 1 pass * * tcpflag=2/0x17', 'illegal-keyword'],
    ['ip filter 1 pass * * tcpflag=0x10002/0x0017', 'illegal-keyword'],
    ['ip filter 1 pass * * tcp 65536', 'parameter-out-of-range'],
    ['ip filter 1 pass * * tcp wwww', 'illegal-keyword'],
    ['ip filter 1 pass * * tcp 1-2-3', 'illegal-keyword'],
    ['ip filter 1 pass * * tcp 1,2,3,4,5,6,7,8,9,10,11', 'parameter-out-of-range'],
    ['ip filter 1 pass * * icmp 256', 'parameter-out-of-range'],
    ['ip filter 1 pass * * icmp echo', 'illegal-keyword'], // ICMP type: a number
    ['ip filter dynamic 1 * * bogus', 'illegal-keyword'],
    ['ip filter dynamic 1 * * www syslog=maybe', 'illegal-keyword'],
    ['ip filter dynamic 1 * * www timeout=soon', 'parameter-must-be-integer'],
    ['ip filter dynamic 1 foo * www', 'unrecognized-ip-address'],
  ] as const)('%s -> %s', (line, error) => {
    expect(errorOf(line)).toBe(error);
  });
});

describe('the comment rule: a `#` outside quotes starts a comment, wherever it stands', () => {
  it('a trailing `# text` is no protocol', () => {
    const result = read('ip filter 1 pass * * # allow everything');
    expect(result.problems).toEqual([]);
    expect(result.model.commands[0]!.params).toMatchObject({ source: '*', destination: '*' });
    expect(result.model.commands[0]!.params).not.toHaveProperty('protocol');
  });

  it('treats every such line the same way, whatever the command', () => {
    expect(read('ip lan1 address 192.0.2.1/24 #lan side').model.commands[0]!.words.map((w) => w.value)).toEqual(['192.0.2.1/24']);
    expect(read('syslog host 192.0.2.9# collector').problems).toEqual([]);
    // The comment is not the source address the command needs.
    expect(errorOf('ip filter 1 pass # everything')).toBe('insufficient-or-too-many-parameters');
  });

  it('a quoted or escaped `#` is a character of the parameter', () => {
    expect(read('console prompt "RT#1"').model.commands[0]!.words.map((w) => w.value)).toEqual(['RT#1']);
    expect(read('console prompt RT\\#1').model.commands[0]!.words.map((w) => w.value)).toEqual(['RT#1']);
  });
});
