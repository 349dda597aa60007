/**
 * `ip filter`, `ip filter dynamic`, `ipv6 filter`, `ipv6 filter dynamic` and `ethernet filter`
 * check every field (command reference §8.1.10, §8.1.14, §30.7.1, §30.7.3, §9.1):
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

const IPV6_ADDRESSES = ['*', '2001:db8::1', '2001:db8:0:0:0:0:0:1', '::', '::ffff:192.0.2.1', 'ra-prefix@lan2::1', 'dhcp-prefix@lan2::1', '2001:db8::1,2001:db8::2'];
/** §30.7.1: the same forms as `ip filter` with IPv6 addresses, prefix lengths and the ICMPv6 keywords. */
const IPV6_FORMS: Record<string, readonly string[]> = {
  ...FORMS,
  src_addr: IPV6_ADDRESSES,
  dest_addr: IPV6_ADDRESSES,
  srcaddr: IPV6_ADDRESSES,
  dstaddr: IPV6_ADDRESSES,
  prefix_len: ['64', '0', '128'],
  protocol: [...FORMS.protocol!, 'icmp-nd', 'icmp4', 'icmp6,tcp'],
};
/** §9.1. The unmarked `[scope]` of the reference is the DHCP scope parameter. */
const ETHERNET_FORMS: Record<string, readonly string[]> = {
  num: ['1', '100'],
  // The reference's kinds, and `pass` / `reject` as a real published config writes them.
  kind: ['pass-log', 'pass-nolog', 'reject-log', 'reject-nolog', 'pass', 'reject'],
  src_mac: ['*', '00:a0:de:00:00:01', '00:a0:de:*:*:*', '*:*:*:*:*:*'],
  dst_mac: ['*', 'ff:ff:ff:ff:ff:ff'],
  type: ['dhcp-bind', 'dhcp-not-bind'],
  scope: ['1', '65535', '192.0.2.10'],
  offset: ['0', '12'],
  byte_list: ['08,00', '*', '*,*,*,*,*,*,*,*,*,*,*,*,*,*,*,*', 'aa,BB'],
};
const FORMS_BY_COMMAND: Record<string, Record<string, readonly string[]>> = {
  'ip filter': FORMS,
  'ip filter dynamic': FORMS,
  'ipv6 filter': IPV6_FORMS,
  'ipv6 filter dynamic': IPV6_FORMS,
  'ethernet filter': ETHERNET_FORMS,
};

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
function linesFor(words: readonly string[], command: string): string[] {
  const dynamic = command.endsWith('dynamic');
  const table = FORMS_BY_COMMAND[command]!;
  const formsOf = (word: string): readonly string[] => {
    const name = /<([^<>]+)>/.exec(word)?.[1] ?? (word === 'scope' && command === 'ethernet filter' ? 'scope' : undefined);
    if (name === undefined) return [word];
    const forms = dynamic && name === 'protocol' ? DYNAMIC_PROTOCOLS : table[name];
    if (name === 'scope') return forms!;
    if (forms === undefined) throw new Error(`no forms for <${name}>`);
    return forms.map((f) => word.replace(`<${name}>`, f));
  };
  const render = (chosen: readonly string[]): string => chosen.join(' ').replace(/ \//g, '/');
  // A mask follows a network address only (§8.1.10 mask): such an address takes the network forms.
  const networkForms = (i: number): readonly string[] | undefined =>
    words[i + 1]?.startsWith('/') && /^<(src_addr|dest_addr|srcaddr|dstaddr)>$/.test(words[i]!)
      ? command.startsWith('ipv6')
        ? ['2001:db8::', 'ra-prefix@lan2::']
        : ['192.0.2.0', '198.51.100.128']
      : undefined;
  const formsAt = (i: number): readonly string[] => networkForms(i) ?? formsOf(words[i]!);
  const first = words.map((_, i) => formsAt(i)[0]!);
  const lines = new Set([render(first)]);
  words.forEach((_, i) => {
    for (const form of formsAt(i)) lines.add(render(first.map((f, j) => (j === i ? form : f))));
  });
  return [...lines];
}

const FILTER_SECTIONS = new Set(['8.1.10', '8.1.14', '30.7.1', '30.7.3', '9.1']);
const generated = catalogueSyntaxLines
  .filter((s) => FILTER_SECTIONS.has(s.section) && s.name in FORMS_BY_COMMAND)
  .flatMap((s) => expansions(parseSyntax(s.syntax)).flatMap((words) => linesFor(words, s.name)));

describe('the filter commands accept every form of the reference', () => {
  it(`(${generated.length} lines generated from the catalogue's syntax lines)`, () => {
    expect(generated.length).toBeGreaterThan(150);
    expect(generated).toContain('ip filter 1 pass * * tcpflag=0x0002/0x0017');
    expect(generated).toContain('ip filter dynamic 1 * * filter 10 in 10 out 10 syslog=on');
    expect(generated).toContain('ipv6 filter 1 pass * * icmp-nd');
    expect(generated).toContain('ethernet filter 1 pass-log dhcp-bind 1 0 08,00');
  });

  it('accepts each of them', () => {
    const refused = generated.map((line) => [line, errorOf(line)]).filter(([, error]) => error !== undefined);
    expect(refused).toEqual([]);
  });
});

describe('the filter commands refuse malformed fields with the RTX error', () => {
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
    ['ipv6 filter 1 pass 192.0.2.1 *', 'unrecognized-ip-address'],
    ['ipv6 filter 1 pass 2001:db8::1::2 *', 'unrecognized-ip-address'],
    ['ipv6 filter 1 pass 2001:db8::/129 *', 'unrecognized-ip-address'],
    ['ipv6 filter 1 pass * * icmp-bogus', 'illegal-keyword'],
    ['ipv6 filter 1 pass * * icmp6 256', 'parameter-out-of-range'],
    ['ipv6 filter dynamic 1 * * bogus', 'illegal-keyword'],
    ['ethernet filter 1 restrict * *', 'illegal-keyword'],
    ['ethernet filter 101 pass-log * *', 'parameter-out-of-range'], // 1..100 before Rev.14.01.16
    ['ethernet filter 1 pass-log 00:a0:de:00:00 *', 'illegal-keyword'],
    ['ethernet filter 1 pass-log * * 12 0800', 'illegal-keyword'],
    ['ethernet filter 1 pass-log * * 12 00,01,02,03,04,05,06,07,08,09,0a,0b,0c,0d,0e,0f,10', 'parameter-out-of-range'],
    ['ethernet filter 1 pass-log dhcp-bind 65536', 'parameter-out-of-range'],
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
