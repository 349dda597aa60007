import { describe, expect, it } from 'vitest';
import { buildStartCommand, routerOptionsFrom, type StartOptions } from '../../src/cli/start.js';
import { ManualClock } from '../../src/router/clock.js';

/** `rtxlab start ARGS` parsed (its option parsers run), not run. */
function parsed(args: string[]): StartOptions {
  const command = buildStartCommand({ clock: new ManualClock(0), stdout: () => {}, stderr: () => {}, untilStopped: () => new Promise(() => {}) })
    .exitOverride()
    .configureOutput({ writeErr: () => {} });
  command.parseOptions(args);
  return command.opts<StartOptions>();
}

describe('rtxlab start --udp-receive-buffer (rtxlab option, not RTX behaviour)', () => {
  it('passes the size to the router; left out, the router keeps the kernel default', () => {
    const deps = { defaultConfig: '', clock: new ManualClock(0) };
    expect(routerOptionsFrom(parsed(['--udp-receive-buffer', '4194304']), deps).udpReceiveBufferBytes).toBe(4_194_304);
    expect(routerOptionsFrom(parsed([]), deps)).not.toHaveProperty('udpReceiveBufferBytes');
  });

  it('refuses what is not a byte count from 4 KB to 256 MB', () => {
    for (const wrong of ['4m', '100', '-1', '300000000']) expect(() => parsed(['--udp-receive-buffer', wrong])).toThrow(/4096-268435456/);
  });

  it('--help says it is an rtxlab option', () => {
    expect(buildStartCommand({ clock: new ManualClock(0), stdout: () => {}, stderr: () => {}, untilStopped: () => new Promise(() => {}) }).helpInformation()).toMatch(/--udp-receive-buffer <bytes>\s+rtxlab option, not RTX behaviour/);
  });
});
