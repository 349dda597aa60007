/**
 * Config parsing speed: a generated 10,000-line config (the mix of a large real one: interface,
 * filter, NAT, DHCP, DNS lines, tunnel and pp blocks, commands known only by name, comments),
 * read by the config reader, next to the time the same process takes merely to split the text
 * into lines. Target (issue 2): 10,000 lines in under 1 s.
 */
import { performance } from 'node:perf_hooks';
import { readConfig } from '../src/config/read-config.js';
import type { BenchReport } from './run.js';

export const LINES = 10_000;
const TARGET_MS = 1000;

/** One tunnel block of a site-to-site hub (13 lines); the RTX has tunnels 1..100, so they are re-entered. */
function tunnelBlock(index: number): string[] {
  const n = ((index - 1) % 100) + 1;
  return [
    `tunnel select ${n}`,
    ` description tunnel branch-${n}`,
    ` ipsec tunnel ${n}`,
    `  ipsec sa policy ${n} ${n} esp aes-cbc sha-hmac`,
    `  ipsec ike keepalive use ${n} on dpd 10 3`,
    `  ipsec ike local address ${n} 192.0.2.1`,
    `  ipsec ike pre-shared-key ${n} text example-key-${n}`,
    `  ipsec ike remote address ${n} 198.51.100.${(n % 250) + 1}`,
    `  ipsec ike nat-traversal ${n} on`,
    ` ip tunnel tcp mss limit auto`,
    ` tunnel enable ${n}`,
    `ip route 10.${Math.floor(index / 250)}.${index % 250}.0/24 gateway tunnel ${n}`,
    `# branch ${index}`,
  ];
}

/** One PPPoE peer (10 lines). */
function ppBlock(n: number): string[] {
  return [
    `pp select ${n}`,
    ' pp always-on on',
    ` pppoe use lan${(n % 3) + 1}`,
    ' pp auth accept pap chap',
    ` pp auth myname user${n}@example.com example-pass-${n}`,
    ' ppp lcp mru on 1454',
    ' ppp ipcp msext on',
    ' pp keepalive interval 30 retry-interval=30 count=12',
    ` ip pp nat descriptor ${n}`,
    ` pp enable ${n}`,
  ];
}

/** Global lines that vary with n (filters, NAT, DHCP, DNS, name-only commands). */
function globalLines(n: number): string[] {
  return [
    `ip filter ${100000 + n} pass 192.0.2.0/24 * tcp * ${1024 + (n % 60000)}`,
    `ip filter dynamic ${200000 + n} * * www syslog=off`,
    `nat descriptor type ${n} masquerade`,
    `nat descriptor address outer ${n} ipcp`,
    `nat descriptor masquerade static ${n} 1 192.0.2.${(n % 250) + 1} tcp 8009=https,8089,82=www`,
    `dhcp scope bind 1 192.0.2.${(n % 200) + 10} ethernet 00:a0:de:00:${((n >> 8) & 0xff).toString(16).padStart(2, '0')}:${(n & 0xff).toString(16).padStart(2, '0')}`,
    `dns static a host${n}.example.com 192.0.2.${(n % 250) + 1}`,
    `ipv6 filter ${300000 + n} pass * * icmp6 * *`,
    `schedule at ${n} */mon-fri 0${n % 10}:00 * ntpdate ntp.example.com syslog`,
    '',
  ];
}

export function generateConfig(lines = LINES): string {
  const out: string[] = [
    '# RTX1500 Rev.8.03.94 (Thu Dec  5 19:31:58 2013)',
    'login password *',
    'console character ascii',
    'ip lan1 address 192.0.2.1/24',
    'ip lan2 address 203.0.113.2/29',
    'dhcp service server',
    'dhcp scope 1 192.0.2.2-192.0.2.254/24',
    'dns server 198.51.100.53',
  ];
  for (let n = 1; out.length < lines; n++) {
    out.push(...tunnelBlock(n), ...ppBlock((n % 150) + 1), ...globalLines(n));
  }
  return out.slice(0, lines).join('\n') + '\n';
}

/** Median of `runs` timings of `work`, after one warm-up run. */
function medianMs(runs: number, work: () => unknown): number {
  work();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    work();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

export default function configParseBench(): BenchReport {
  const text = generateConfig();
  const lineCount = text.split('\n').length - 1;
  let problems = 0;
  const splitMs = medianMs(21, () => text.split(/\r\n|\r|\n/));
  const parseMs = medianMs(5, () => {
    problems = readConfig(text).problems.length;
  });
  const fmt = (ms: number) => `${ms.toFixed(ms < 10 ? 2 : 0)} ms`;
  return {
    name: 'config-parse',
    rows: [
      { metric: 'lines', value: String(lineCount) },
      { metric: 'lines rejected (should be 0)', value: String(problems) },
      { metric: 'split into lines', value: fmt(splitMs) },
      { metric: 'read (tokenize, dispatch, parse, model)', value: fmt(parseMs) },
      { metric: 'read speed', value: `${Math.round(lineCount / (parseMs / 1000)).toLocaleString('en-US')} lines/s` },
      { metric: 'read / split', value: `${Math.round(parseMs / splitMs).toLocaleString('en-US')}x` },
    ],
    target: { description: `${LINES.toLocaleString('en-US')} lines < ${TARGET_MS} ms`, met: parseMs < TARGET_MS },
  };
}
