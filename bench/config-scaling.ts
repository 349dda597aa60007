/**
 * Config reading must stay linear whatever the text holds (issue 11 §3: a capture header followed
 * by thousands of full-width rows that are no commands took about a minute for 20,000 rows).
 * Reads 5,000 and 50,000 physical lines of two contents and reports the time ratio: about 10 for
 * linear reading, about 100 for quadratic.
 * - mixed: a console transcript: prompts, the generated config of config-parse.ts wrapped after
 *   column 79, and command output between prompts;
 * - junk: a `show config` header row followed by 79-column rows that are no commands (quotes,
 *   `<<` openers, `#`), the shape that was quadratic.
 */
import { performance } from 'node:perf_hooks';
import { readConfig } from '../src/config/read-config.js';
import { hardWrap } from '../src/config/text/display-width.js';
import { generateConfig } from './config-parse.js';
import type { BenchReport } from './run.js';

const SMALL = 5_000;
const LARGE = 50_000;
/** Linear is 10; anything under this is taken as linear on a shared machine. */
const TARGET_RATIO = 20;

/**
 * The parser remembers recent results per line (grammar-support.ts), so re-reading one text would
 * measure the memo: every timed read gets its own `salt`, which changes addresses and names.
 */
function mixed(lines: number, salt: number): string {
  const config = generateConfig(lines)
    .replaceAll('192.0.2.', `192.0.${2 + salt}.`)
    .replaceAll('example', `example${salt}`)
    .split('\n')
    .flatMap((line) => hardWrap(line, 80));
  const out = ['RTX1500> administrator', 'Password:', 'RTX1500# show config', '# RTX1500 Rev.8.03.75 (Tue Apr 15 11:14:13 2008)'];
  for (let i = 0; out.length < lines; i++) {
    out.push(config[i % config.length]!);
    if (i % 200 === 199) out.push('RTX1500# show status boot', 'Running: RTX1500 Rev.8.03.75 (Tue Apr 15 11:14:13 2008)', 'Restart by power-on', 'RTX1500# show config');
  }
  return `${out.slice(0, lines).join('\r\n')}\r\n`;
}

function junk(lines: number, salt: number): string {
  const out = ['# main:  RTX1500 ver=d0 serial=N0X000001 MAC-Address=00:a0:de:00:15:01 MAC-Addr'];
  const shapes = ['zq', 'ip lan1 "', 'foo <<E', '#', 'tunnel select x'];
  for (let i = 1; out.length < lines; i++) out.push(`${shapes[i % shapes.length]}${salt}-${i} `.padEnd(79, 'x'));
  return `${out.join('\n')}\n`;
}

/** Fastest of reading each text once (a shared machine only ever adds time). */
function fastestMs(texts: readonly string[]): number {
  let fastest = Infinity;
  for (const text of texts) {
    const start = performance.now();
    readConfig(text);
    fastest = Math.min(fastest, performance.now() - start);
  }
  return fastest;
}

export default function configScalingBench(): BenchReport {
  const rows: { metric: string; value: string }[] = [];
  let worst = 0;
  for (const [name, make] of [
    ['mixed', mixed],
    ['junk', junk],
  ] as const) {
    readConfig(make(SMALL, 0)); // warm-up
    const smallMs = fastestMs([1, 2, 3, 4, 5].map((salt) => make(SMALL, salt)));
    const largeMs = fastestMs([6, 7].map((salt) => make(LARGE, salt)));
    const ratio = largeMs / smallMs;
    worst = Math.max(worst, ratio);
    rows.push(
      { metric: `${name}: ${SMALL.toLocaleString('en-US')} lines`, value: `${smallMs.toFixed(0)} ms (${Math.round(SMALL / (smallMs / 1000)).toLocaleString('en-US')} lines/s)` },
      { metric: `${name}: ${LARGE.toLocaleString('en-US')} lines`, value: `${largeMs.toFixed(0)} ms (${Math.round(LARGE / (largeMs / 1000)).toLocaleString('en-US')} lines/s)` },
      { metric: `${name}: 50k / 5k time`, value: `${ratio.toFixed(1)}x` },
    );
  }
  return {
    name: 'config-scaling',
    rows,
    target: { description: `50k / 5k time < ${TARGET_RATIO}x (linear: 10x)`, met: worst < TARGET_RATIO },
  };
}
