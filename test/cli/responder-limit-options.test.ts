/**
 * The responder's limits as flags of `rtxlab start` and `rtxlab console`: each one reaches the
 * router's responder (seen in what the router does), each is marked "rtxlab option" in --help with
 * the responder's own default.
 */
import { Command, CommanderError } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { buildConsoleCommand } from '../../src/cli/console.js';
import { addResponderLimitOptions, responderLimitsFrom } from '../../src/cli/responder-limit-options.js';
import { buildStartCommand, routerOptionsFrom, type StartOptions } from '../../src/cli/start.js';
import { DEFAULT_RESPONDER_LIMITS } from '../../src/ike-responder/responder.js';
import { ManualClock } from '../../src/router/clock.js';
import { clientMessage1 } from '../ike-responder/support.js';
import { eventually, UdpPeer } from '../router/support/udp-peer.js';

const START = Date.UTC(2008, 9, 1, 3, 28, 6);

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function parseFlags(args: string[]): StartOptions {
  const command = addResponderLimitOptions(new Command('test')).exitOverride().configureOutput({ writeErr: () => {} });
  command.parse(args, { from: 'user' });
  return command.opts<StartOptions>();
}

/** `rtxlab start ARGS` in this process on a clock the test moves. */
function runStart(args: string[], clock: ManualClock) {
  let stdout = '';
  let stop: (reason: string) => void = () => {};
  const stopped = new Promise<string>((resolve) => (stop = resolve));
  const finished = buildStartCommand({ clock, stdout: (text) => (stdout += text), stderr: () => {}, untilStopped: () => stopped })
    .exitOverride()
    .parseAsync(['--ike-port', '0', '--natt-port', '0', ...args], { from: 'user' });
  cleanups.push(async () => {
    stop('cleanup');
    await finished.catch(() => {});
  });
  return {
    ikePort: async () => {
      await eventually(() => stdout.includes('rtxlab: listening'));
      return Number(/127\.0\.0\.1:(\d+) \(IKE\)/.exec(stdout)![1]);
    },
  };
}

/** How many times message 2 reaches a client that never sends message 3, while the clock moves `advanceMs`. */
async function message2Sends(args: string[], advanceMs: number): Promise<number> {
  const clock = new ManualClock(START);
  const run = runStart(args, clock);
  const ikePort = await run.ikePort();
  const client = await UdpPeer.open();
  cleanups.push(() => client.close());
  await client.send(clientMessage1().bytes, ikePort);
  await client.receive();
  clock.advance(advanceMs);
  let resends = 0;
  for (;;) {
    try {
      await client.receive(150);
      resends++;
    } catch {
      return 1 + resends;
    }
  }
}

describe('responder limit flags', () => {
  it('each flag sets its responder limit, in milliseconds where the flag takes seconds', () => {
    const flags = parseFlags([
      '--resend-interval', '0.25',
      '--resend-count', '3',
      '--half-open-per-peer', '2',
      '--half-open-total', '40',
      '--half-open-time-when-full', '4',
      '--half-open-peer', 'address',
      '--idle-limit', '90',
    ]);
    expect(responderLimitsFrom(flags)).toEqual({
      retransmitIntervalMs: 250,
      retransmissions: 3,
      maxHalfOpenSasPerPeer: 2,
      maxHalfOpenSas: 40,
      halfOpenTimeoutWhenFullMs: 4000,
      halfOpenPeer: 'address',
      idleLimitMs: 90_000,
    });
  });

  it('flags left out leave the responder its defaults: the router options carry no limits at all', () => {
    const options = routerOptionsFrom({ ...parseFlags([]), bind: '127.0.0.1', ikePort: 0, nattPort: 0 }, { defaultConfig: '', clock: new ManualClock(START) });
    expect(options.responderLimits).toBeUndefined();
    const withOne = routerOptionsFrom({ ...parseFlags(['--idle-limit', '60']), bind: '127.0.0.1', ikePort: 0, nattPort: 0 }, { defaultConfig: '', clock: new ManualClock(START) });
    expect(withOne.responderLimits).toEqual({ idleLimitMs: 60_000 });
  });

  it.each([
    ['--resend-interval', '0'],
    ['--resend-interval', 'soon'],
    ['--resend-count', '-1'],
    ['--half-open-per-peer', '0'],
    ['--half-open-total', '1.5'],
    ['--half-open-peer', 'port'],
    ['--idle-limit', '-5'],
  ])('refuses %s %s', (flag, value) => {
    expect(() => parseFlags([flag, value])).toThrow(CommanderError);
  });

  it('--help of start and console marks each one an rtxlab option and shows the responder\'s default', () => {
    const defaults = DEFAULT_RESPONDER_LIMITS;
    const expected: [string, string][] = [
      ['--resend-interval', `default ${defaults.retransmitIntervalMs / 1000}`],
      ['--resend-count', `default ${defaults.retransmissions}`],
      ['--half-open-per-peer', `default ${defaults.maxHalfOpenSasPerPeer}`],
      ['--half-open-total', `default ${defaults.maxHalfOpenSas}`],
      ['--half-open-time-when-full', `default ${defaults.halfOpenTimeoutWhenFullMs / 1000}`],
      ['--half-open-peer', `default ${defaults.halfOpenPeer}`],
      ['--idle-limit', `default ${defaults.idleLimitMs / 1000}`],
    ];
    for (const command of [buildStartCommand(), buildConsoleCommand()]) {
      // One option per entry: commander wraps long help lines, so read the options themselves.
      for (const [flag, defaultText] of expected) {
        const option = command.options.find((candidate) => candidate.long === flag);
        expect(option?.description, `${command.name()} ${flag}`).toMatch(/^rtxlab option/);
        expect(option?.description).toContain(defaultText);
      }
    }
  });
});

describe('the flags reach the running router', () => {
  it('--resend-interval 2: message 2 goes again 2 s after it was sent; without the flag not before 5 s', async () => {
    expect(await message2Sends(['--resend-interval', '2'], 2000)).toBe(2);
    expect(await message2Sends([], 2000)).toBe(1);
    expect(await message2Sends([], DEFAULT_RESPONDER_LIMITS.retransmitIntervalMs)).toBe(2);
  });

  it('--resend-count 1: message 2 goes again once, however long the client stays silent', async () => {
    expect(await message2Sends(['--resend-interval', '1', '--resend-count', '1'], 5000)).toBe(2);
    expect(await message2Sends(['--resend-interval', '1'], 5000)).toBe(6);
  });
});
