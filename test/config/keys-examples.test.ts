/**
 * The keying rule on the shapes issue 11 found losing lines: each pair differs in a word that
 * its `no` form names, so both lines stay, in the model and in `show config`; a pair that
 * differs only in a value replaces.
 */
import { describe, expect, it } from 'vitest';
import { showConfigLines } from '../../src/config/show-config/show-config.js';
import { read } from './support.js';

const NOW = new Date('2024-01-01T00:00:00Z');

function kept(...text: string[]): string[] {
  const result = read(...text);
  expect(result.problems).toEqual([]);
  const printed = showConfigLines(result.model, { now: NOW });
  return text.filter((line) => printed.some((p) => p.trim() === line.trim()));
}

describe('keys: lines naming different instances both stay', () => {
  it.each([
    ['ip lan2 secure filter in 1 2', 'ip lan2 secure filter out 3 4'],
    ['ipv6 lan2 secure filter in 1', 'ipv6 lan2 secure filter out 2'],
    ['ethernet lan1 filter in 1', 'ethernet lan1 filter out 2'],
    ['ipv6 route 2001:db8::/32 gateway pp 1', 'ipv6 route 2001:db8:1::/48 gateway pp 1'],
    ['vlan lan2/1 802.1q vid=2', 'vlan lan2/2 802.1q vid=3'],
    ['bridge member bridge1 lan1 lan2', 'bridge member bridge2 lan3'],
    ['lan type lan1 auto', 'lan type lan2 auto'],
    ['ip lan2 intrusion detection in on', 'ip lan2 intrusion detection out on'],
    ['ip lan2 intrusion detection in ip on', 'ip lan2 intrusion detection in fragment on'],
    ['statistics traffic on', 'statistics nat on'],
    ['bridge learning bridge1 on', 'bridge learning bridge1 timer 300'],
    ['nat descriptor masquerade unconvertible port 1 tcp 80', 'nat descriptor masquerade unconvertible port 1 udp 80'],
  ])('%s / %s', (first, second) => {
    expect(kept(first, second)).toEqual([first, second]);
  });
});

describe('keys: a line naming the same instance replaces the earlier one', () => {
  it.each([
    ['statistics traffic on', 'statistics traffic off'],
    ['ipv6 route 2001:db8::/32 gateway pp 1', 'ipv6 route 2001:db8::/32 gateway pp 2'],
    ['lan type lan1 auto', 'lan type lan1 100-fdx'],
    ['ethernet lan1 filter in 1', 'ethernet lan1 filter in 1 2'],
    ['bridge member bridge1 lan1 lan2', 'bridge member bridge1 lan1 lan3'],
    ['vlan lan2/1 802.1q vid=2', 'vlan lan2/1 802.1q vid=5'],
  ])('%s then %s', (first, second) => {
    expect(kept(first, second)).toEqual([second]);
  });
});

describe('keys: the whole line identifies when the reference cannot count the words (assumed)', () => {
  it('keeps `intrusion detection in ip on` and `... in ip off` both: the `no` form lists [<type>] before <switch>', () => {
    const lines = ['ip lan2 intrusion detection in ip on', 'ip lan2 intrusion detection in ip off'];
    expect(kept(...lines)).toEqual(lines);
  });

  it('an identical line replaces itself', () => {
    const result = read('ip lan2 intrusion detection in on', 'ip lan2 intrusion detection in on');
    expect(result.model.size).toBe(1);
  });
});
