import { describe, expect, it } from 'vitest';
import { pingReplyLine, pingSummaryLines } from '../../src/console/formats/ping.js';
import { parseArguments } from '../../src/console/command-syntax.js';
import { OPERATIONAL_COMMANDS } from '../../src/console/operational-commands.js';

const ping = OPERATIONAL_COMMANDS.find((command) => command.name.join(' ') === 'ping')!;

describe('console ping (§56.7.9 syntax, assumed BSD-style output)', () => {
  it('takes its options in the reference order and the host as an IPv4 address', () => {
    const parsed = parseArguments(ping.parameters, ['-c', '2', '-sa', '192.168.2.1', '192.168.1.1']);
    expect(parsed).toEqual({ ok: true, args: new Map<string, unknown>([['count', 2], ['source', '192.168.2.1'], ['host', '192.168.1.1']]) });
  });

  it('refuses a host that is no IPv4 address, and a count out of range', () => {
    expect(parseArguments(ping.parameters, ['example.org'])).toEqual({ ok: false, error: 'unrecognized-ip-address' });
    expect(parseArguments(ping.parameters, ['192.168.1.256'])).toEqual({ ok: false, error: 'unrecognized-ip-address' });
    expect(parseArguments(ping.parameters, ['-c', '0', '192.168.1.1'])).toEqual({ ok: false, error: 'parameter-out-of-range' });
    expect(parseArguments(ping.parameters, [])).toEqual({ ok: false, error: 'insufficient-or-too-many-parameters' });
  });

  it('prints one line per reply and the summary with the loss', () => {
    const replies = [
      { sequence: 1, from: '192.168.1.1', ttl: 255, bytes: 64, roundTripMs: 0.5 },
      { sequence: 2, from: '192.168.1.1', ttl: 255, bytes: 64, roundTripMs: 1.5 },
    ];
    expect(pingReplyLine(replies[0]!)).toBe('received from 192.168.1.1: icmp_seq=1 ttl=255 time=0.500ms');
    expect(pingSummaryLines({ host: '192.168.1.1', source: '192.168.2.1', transmitted: 3, replies, unroutable: 0 })).toEqual([
      '',
      '3 packets transmitted, 2 packets received, 33.3% packet loss',
      'round-trip min/avg/max = 0.500/1.000/1.500 ms',
    ]);
    expect(pingSummaryLines({ host: '192.168.1.1', source: '192.168.2.1', transmitted: 2, replies: [], unroutable: 0 })).toEqual([
      '',
      '2 packets transmitted, 0 packets received, 100.0% packet loss',
    ]);
  });
});
