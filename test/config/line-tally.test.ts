/**
 * `ReadResult.lines`: what became of every physical line, in counts that add up to the lines read.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readConfig, type LineTally } from '../../src/config/read-config.js';
import { lineTallyText } from '../../src/config/report-text.js';

function total(t: LineTally): number {
  const n = t.notCommand;
  const p = t.partOfLineAbove;
  return t.applied + t.replaced + t.rejected + t.warned + n.blank + n.comment + n.header + n.prompt + n.output + p.wrapped + p.heredoc;
}

describe('the line tally', () => {
  it('says what became of each line of a plain file', () => {
    const text = [
      '# a comment',
      '',
      'ip lan1 address 192.0.2.1/24',
      'ip lan1 address 192.0.2.2/24', // replaces line 3
      'statistics traffic on',
      'no statistics traffic', // removes line 5: applied; line 5 replaced
      'ip lan1 adress 192.0.2.1/24', // rejected
      'ipsec ike version 1 2', // not on Rev.8.03: warned
      'tunnel select 1', // a selection: applied
      'embedded file 1 <<EOF',
      'print("hi")',
      'EOF',
      '',
    ].join('\n');
    const { lines } = readConfig(text);
    expect(lines).toEqual({
      read: 12,
      applied: 4, // lines 4, 6 (the `no` line), 9 (the selection) and 10
      replaced: 2, // lines 3 and 5
      rejected: 1,
      warned: 1,
      notCommand: { blank: 1, comment: 1, header: 0, prompt: 0, output: 0 },
      partOfLineAbove: { wrapped: 0, heredoc: 2 },
    } satisfies LineTally);
    expect(total(lines)).toBe(lines.read);
  });

  it('counts a capture echo, its header lines and a trailing prompt as not commands', () => {
    const text = [
      'RTX1500# show config',
      '# RTX1500 Rev.8.03.75 (Tue Apr 15 11:14:13 2008)',
      '# MAC Address : 00:a0:de:00:00:01, 00:a0:de:00:00:02, 00:a0:de:00:00:03, ',
      '# Memory 128Mbytes, 3LAN, 2BRI',
      '# Reporting Date: Oct 1 12:28:06 2008',
      'ip lan1 address 192.0.2.1/24',
      'RTX1500# ',
    ].join('\r\n');
    const { lines } = readConfig(text);
    expect(lines.notCommand).toEqual({ blank: 0, comment: 0, header: 4, prompt: 2, output: 0 });
    expect([lines.read, lines.applied, total(lines)]).toEqual([7, 1, 7]);
  });

  it('adds up for any text', () => {
    const line = fc.oneof(
      fc.constantFrom('', '# x', 'ip lan1 address 192.0.2.1/24', 'tunnel select 1', 'no tunnel select', 'bogus line', 'macro m <<E', 'E'),
      fc.string({ maxLength: 90 }),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 40 }), fc.constantFrom('\n', '\r\n', '\r'), (ls, eol) => {
        const { lines } = readConfig(ls.join(eol));
        expect(total(lines)).toBe(lines.read);
      }),
      { numRuns: 300 },
    );
  });

  it('reads as one sentence with every count', () => {
    expect(lineTallyText(readConfig('ip lan1 address 192.0.2.1/24\n\n').lines)).toBe(
      '2 lines read: 1 applied, 0 replaced by a later line, 0 rejected, 0 warned and not applied, ' +
        '1 not a command (1 blank, 0 comments, 0 capture header, 0 prompts, 0 command output skipped), ' +
        '0 part of the line above (0 wrapped rows, 0 here-document lines)',
    );
  });
});
