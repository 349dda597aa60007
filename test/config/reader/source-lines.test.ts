import { describe, expect, it } from 'vitest';
import { splitSourceLines, type SourceLine } from '../../../src/config/reader/source-lines.js';

// A judge that knows a few command shapes, standing in for the interpreter.
const knownCommand = (text: string): boolean => /^\s*(ip|tunnel|ipsec|syslog|dhcp|embedded) \S+/.test(text) && !/ gateway$/.test(text);
const split = (text: string) => splitSourceLines(text, knownCommand);
const commands = (text: string): [number, string][] =>
  split(text).lines.map((l: SourceLine) => [l.line, l.text]);

describe('splitSourceLines: physical lines', () => {
  it('ends lines at CRLF, LF or CR and keeps 1-based line numbers', () => {
    expect(commands('ip a\r\nip b\nip c\rip d')).toEqual([
      [1, 'ip a'],
      [2, 'ip b'],
      [3, 'ip c'],
      [4, 'ip d'],
    ]);
  });

  it('skips blank lines and lines starting with # (after any indentation)', () => {
    expect(commands('# header\n\n   \n  # comment\nip a\n')).toEqual([[5, 'ip a']]);
  });

  it('keeps indentation in the text (the tokenizer ignores it)', () => {
    expect(commands(' tunnel enable 1')).toEqual([[1, ' tunnel enable 1']]);
  });
});

describe('splitSourceLines: console captures', () => {
  const wrapped = `ip route 10.0.0.0/8 gateway tunnel 1 hide gateway tunnel 2 hide gateway tunnel 3`;

  it('(the wrapped example fills 80 columns)', () => expect(wrapped.length).toBe(80));

  it('is a capture when it starts with a `<prompt># show config` echo, which is dropped', () => {
    const result = split('RTX1500# show config\nip a\n');
    expect(result.capture).toBe(true);
    expect(result.lines.map((l) => l.text)).toEqual(['ip a']);
    expect(split('[RTX1210] > show config\nip a\n').lines.map((l) => l.line)).toEqual([2]);
  });

  it('is a capture when it has a show config header line', () => {
    expect(split('# MAC Address : 00:a0:de:00:00:01, \nip a\n').capture).toBe(true);
    expect(split('# Reporting Date: Jan 1 09:01:40 1980\nip a\n').capture).toBe(true);
    expect(split('# just a comment\nip a\n').capture).toBe(false);
  });

  it('joins a line that fills 80 columns with a continuation that is no command of its own', () => {
    const text = `RTX1500# show config\n${wrapped}\n hide gateway tunnel 4 hide\nip b\n`;
    expect(commands(text)).toEqual([
      [2, `${wrapped} hide gateway tunnel 4 hide`],
      [4, 'ip b'],
    ]);
  });

  it('does not join when the next line stands alone as a command', () => {
    const full = `ip filter 1 pass ${'1'.repeat(80 - 'ip filter 1 pass '.length)}`;
    expect(full.length).toBe(80);
    expect(commands(`RTX1500# show config\n${full}\nip b\n`).map(([n]) => n)).toEqual([2, 3]);
  });

  it('un-wraps the header too: `# main:` continues on a line without #', () => {
    const main = `# main:  RTX1500 ver=d0 serial=N0X000001 MAC-Address=00:a0:de:00:15:01 MAC-Addre`;
    expect(main.length).toBe(80);
    expect(commands(`${main}\nss=00:a0:de:00:15:02\nip a\n`)).toEqual([[3, 'ip a']]);
  });

  it('does not un-wrap text that is not a capture', () => {
    expect(commands(`${wrapped}\n hide gateway tunnel 4 hide\n`)).toHaveLength(2);
  });

  it('uses the capture’s own `console columns N`', () => {
    const line100 = `ip route 10.0.0.0/8 ${'gateway tunnel 1 '.repeat(4)}${'x'.repeat(100 - 20 - 68)}`;
    expect(line100.length).toBe(100);
    const text = `RTX1500# show config\nconsole columns 100\n${line100}\nmore words\n`;
    expect(commands(text)).toEqual([
      [2, 'console columns 100'],
      [3, `${line100}more words`],
    ]);
  });

  it('joins when a full-width character did not fit in the last column', () => {
    const piece = `dhcp x ${'y'.repeat(72)}`;
    expect(piece.length).toBe(79);
    expect(commands(`RTX1500# show config\n${piece}\n接続\n`)).toEqual([[2, `${piece}接続`]]);
  });

  it('drops a bare prompt at the end of a capture', () => {
    expect(commands('RTX1500# show config\nip a\nRTX1500# \n')).toEqual([[2, 'ip a']]);
  });
});

describe('splitSourceLines: here-documents', () => {
  it('keeps the body of `<<EOF` ... `EOF` raw, under the command’s line', () => {
    const result = split('embedded file a.lua <<EOF\n  print("# not a comment")\n\nEOF\nip a\n');
    expect(result.lines).toEqual([
      { kind: 'heredoc', line: 1, text: 'embedded file a.lua <<EOF', terminator: 'EOF', body: ['  print("# not a comment")', ''], terminated: true },
      { kind: 'command', line: 5, text: 'ip a' },
    ]);
  });

  it('says when the terminator never came', () => {
    // The final line ending ends the line `x`; it starts no empty line of the body.
    expect(split('embedded file a.lua <<EOF\nx\n').lines[0]).toMatchObject({ kind: 'heredoc', terminated: false, body: ['x'] });
  });
});

describe('splitSourceLines: `<<` inside a quoted value', () => {
  it('is a value, not a here-document', () => {
    expect(split('auth user 1 name "<<  "\nip a\n').lines.map((l) => l.kind)).toEqual(['command', 'command']);
  });
});
