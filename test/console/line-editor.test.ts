/**
 * Typing at the console: echo, erase, CRLF as one Enter, escape sequences swallowed, no echo
 * for passwords, the line length limit.
 */
import { describe, expect, it } from 'vitest';
import { LineEditor } from '../../src/console/line-editor.js';

const type = (editor: LineEditor, keys: string) => [...keys].map((k) => editor.key(k)).filter((e) => e !== undefined);

describe('LineEditor', () => {
  it('echoes characters and submits on CR, LF or CRLF (once)', () => {
    const editor = new LineEditor();
    expect(type(editor, 'ab\r\n')).toEqual([
      { kind: 'echo', text: 'a' },
      { kind: 'echo', text: 'b' },
      { kind: 'submit', line: 'ab' },
    ]);
    expect(type(editor, 'c\n')).toContainEqual({ kind: 'submit', line: 'c' });
  });

  it('erases the last character (two columns for a wide one) and rings at an empty line', () => {
    const editor = new LineEditor();
    type(editor, 'aあ');
    expect(editor.key('\x7f')).toEqual({ kind: 'echo', text: '\b\b  \b\b' });
    expect(editor.line).toBe('a');
    editor.key('\b');
    expect(editor.key('\b')).toEqual({ kind: 'bell' });
  });

  it('swallows arrow keys', () => {
    const editor = new LineEditor();
    type(editor, 'x\x1b[A\x1bOBy');
    expect(editor.line).toBe('xy');
  });

  it('echoes nothing while a password is typed, and ? and TAB are characters then', () => {
    const editor = new LineEditor();
    editor.echo = false;
    expect(type(editor, 'p?w\r')).toEqual([{ kind: 'submit', line: 'p?w' }]);
  });

  it('refuses characters past the longest command (4095) plus one, ringing once however much more comes', () => {
    const editor = new LineEditor();
    type(editor, 'x'.repeat(4096));
    expect(type(editor, 'x'.repeat(100_000))).toEqual([{ kind: 'bell' }]);
    expect(editor.line).toHaveLength(4096);
    editor.key('\b');
    type(editor, 'y');
    expect(editor.key('z')).toEqual({ kind: 'bell' });
  });
});
