/**
 * The schedule family as the router reads it (command reference §37.1): dates with lists, ranges
 * and weekdays, times with `*`, start-up and delays, the peer/tunnel/switch the command runs for,
 * and the command kept as written.
 */
import { describe, expect, it } from 'vitest';
import { interpretLine, lineError } from '../support.js';

const params = (line: string) => {
  const result = interpretLine(line);
  if (result.kind !== 'set') throw new Error(`${line}: ${JSON.stringify(result)}`);
  expect(result.command.name).toBe('schedule at');
  return result.command.params;
};
const errorOf = (line: string) => lineError(line);

describe('schedule at', () => {
  it('runs a command every day at a time', () => {
    expect(params('schedule at 1 */* 09:42:00 * ntpdate ntp.example.com syslog')).toEqual({
      id: 1,
      date: '*/*',
      time: '09:42:00',
      target: { kind: 'none' },
      command: ['ntpdate', 'ntp.example.com', 'syslog'],
    });
  });
  it('takes weekdays in any case, month/day lists and ranges, and no date at all', () => {
    expect(params('schedule at 1 */Wed 00:00:00 * ntpdate ntp.example.com syslog')).toMatchObject({ date: '*/wed' });
    expect(params('schedule at 2 */mon-fri 8:00 pp 1 isdn auto connect on')).toMatchObject({
      date: '*/mon-fri',
      time: '8:00',
      target: { kind: 'pp', peer: 1 },
      command: ['isdn', 'auto', 'connect', 'on'],
    });
    expect(params('schedule at 3 1,2/2-7 12:00 * restart')).toMatchObject({ date: '1,2/2-7' });
    expect(params('schedule at 4 *:15 * disconnect 1')).toEqual({
      id: 4,
      time: '*:15',
      target: { kind: 'none' },
      command: ['disconnect', '1'],
    });
  });
  it('runs at start-up, after a delay, or for a tunnel or switch', () => {
    expect(params('schedule at 1 startup * lua emfs:/sample.lua')).toEqual({
      id: 1,
      time: 'startup',
      target: { kind: 'none' },
      command: ['lua', 'emfs:/sample.lua'],
    });
    expect(params('schedule at 2 +600 * restart')).toEqual({ id: 2, delay: 600, target: { kind: 'none' }, command: ['restart'] });
    expect(params('schedule at 3 */* 03:00 tunnel 1 tunnel enable 1')).toMatchObject({ target: { kind: 'tunnel', tunnel: 1 } });
    expect(params('schedule at 4 */* 03:00 switch 00:a0:de:01:02:03 switch control function execute restart')).toMatchObject({
      target: { kind: 'switch', switch: '00:a0:de:01:02:03' },
    });
  });
  it('refuses impossible dates and times, a missing command, mixed days and weekdays', () => {
    expect(errorOf('schedule at 1 13/1 00:00 * restart')).toBe('parameter-out-of-range');
    expect(errorOf('schedule at 1 */32 00:00 * restart')).toBe('parameter-out-of-range');
    expect(errorOf('schedule at 1 */* 24:00 * restart')).toBe('parameter-out-of-range');
    expect(errorOf('schedule at 1 */* 12:60 * restart')).toBe('parameter-out-of-range');
    expect(errorOf('schedule at 1 +3601 * restart')).toBe('parameter-out-of-range');
    expect(errorOf('schedule at 1 */* 12:00 *')).toBe('insufficient-or-too-many-parameters');
    expect(errorOf('schedule at 1 */1,mon 12:00 * restart')).toBe('illegal-keyword');
    expect(errorOf('schedule at 1 noon * restart')).toBe('illegal-keyword');
  });
});
