/**
 * `--impair RULE` on `rtxlab start` and `rtxlab console`: repeatable, refused with the reason
 * when malformed, and acted on by the running router.
 */
import { Command } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { buildConsoleCommand } from '../../src/cli/console.js';
import { addImpairOption, type ImpairFlags } from '../../src/cli/impair-option.js';
import { buildStartCommand, routerOptionsFrom } from '../../src/cli/start.js';
import { DEFAULT_RESPONDER_LIMITS } from '../../src/ike-responder/responder.js';
import { ManualClock } from '../../src/router/clock.js';
import { formatImpairRule } from '../../src/router/impair/impair-rule.js';
import { clientMessage1 } from '../ike-responder/support.js';
import { eventually, UdpPeer } from '../router/support/udp-peer.js';

const START = Date.UTC(2008, 9, 1, 3, 28, 6);

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function parseFlags(args: string[]): ImpairFlags {
  let errors = '';
  const command = addImpairOption(new Command('test')).exitOverride().configureOutput({ writeErr: (text) => (errors += text) });
  try {
    command.parse(args, { from: 'user' });
  } catch (error) {
    throw new Error(errors, { cause: error });
  }
  return command.opts<ImpairFlags>();
}

describe('--impair', () => {
  it('is repeatable: the rules reach the router options in the order given', () => {
    const flags = parseFlags(['--impair', 'drop:out:aggressive:1', '--impair', 'withhold-mode-cfg-set']);
    const options = routerOptionsFrom({ ...flags, bind: '127.0.0.1', ikePort: 0, nattPort: 0 }, { defaultConfig: '', clock: new ManualClock(START) });
    expect(options.impair?.map(formatImpairRule)).toEqual(['drop:out:aggressive:1', 'withhold-mode-cfg-set']);
  });

  it('is off unless given', () => {
    const options = routerOptionsFrom({ ...parseFlags([]), bind: '127.0.0.1', ikePort: 0, nattPort: 0 }, { defaultConfig: '', clock: new ManualClock(START) });
    expect(options.impair).toBeUndefined();
  });

  it('refuses a malformed rule with the reason', () => {
    expect(() => parseFlags(['--impair', 'drop:out:main:1'])).toThrow(/EXCHANGE must be one of aggressive, transaction, quick, informational/);
    expect(() => parseFlags(['--impair', 'nonsense'])).toThrow(/unknown fault "nonsense"/);
  });

  it('start and console both take it, marked an rtxlab option, off by default, with examples', () => {
    for (const command of [buildStartCommand(), buildConsoleCommand()]) {
      const option = command.options.find((candidate) => candidate.long === '--impair');
      expect(option?.description).toMatch(/^rtxlab option, not RTX behaviour \(default: none\)/);
      expect(option?.description).toContain('drop:out:aggressive:1');
    }
  });

  it('rtxlab start --impair drop:out:aggressive:1: the first message 2 never leaves, its resend does', async () => {
    const clock = new ManualClock(START);
    let stdout = '';
    let stop: (reason: string) => void = () => {};
    const stopped = new Promise<string>((resolve) => (stop = resolve));
    let stderr = '';
    const finished = buildStartCommand({ clock, stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), untilStopped: () => stopped })
      .exitOverride()
      .parseAsync(['--ike-port', '0', '--natt-port', '0', '--impair', 'drop:out:aggressive:1'], { from: 'user' });
    cleanups.push(async () => {
      stop('cleanup');
      await finished.catch(() => {});
    });
    await eventually(() => stdout.includes('rtxlab: listening'));
    expect(stderr).toBe('rtxlab: --impair: injecting faults on purpose (not RTX behaviour): drop:out:aggressive:1\n');
    const ikePort = Number(/127\.0\.0\.1:(\d+) \(IKE\)/.exec(stdout)![1]);
    const client = await UdpPeer.open();
    cleanups.push(() => client.close());
    await client.send(clientMessage1().bytes, ikePort);
    await eventually(() => stdout.includes('respond ISAKMP phase'));
    await expect(client.receive(200)).rejects.toThrow(/no datagram/);
    clock.advance(DEFAULT_RESPONDER_LIMITS.retransmitIntervalMs);
    const resent = await client.receive();
    expect(resent.bytes.readUInt8(18)).toBe(4); // Aggressive Mode
  });
});
