import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeConfigBytes, encodeShiftJis } from '../../../src/config/text/decode.js';

describe('decodeConfigBytes', () => {
  it('reads UTF-8 (and drops a byte-order mark)', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from('description 1 "接続"\n')]);
    expect(decodeConfigBytes(bytes)).toEqual({ text: 'description 1 "接続"\n', encoding: 'utf-8' });
  });

  it('reads Shift_JIS, the router’s own file encoding (command reference §2.3)', () => {
    const bytes = new Uint8Array(iconv.encode('pp name "インターネット接続"\r\n', 'shift_jis'));
    expect(decodeConfigBytes(bytes)).toEqual({ text: 'pp name "インターネット接続"\r\n', encoding: 'shift_jis' });
  });

  it('pure ASCII is read as UTF-8', () => {
    expect(decodeConfigBytes(new Uint8Array(Buffer.from('syslog debug on\n'))).encoding).toBe('utf-8');
  });

  it('encodeShiftJis is the inverse for Japanese text', () => {
    const text = 'description 1 "本社 VPN"';
    expect(decodeConfigBytes(encodeShiftJis(text))).toEqual({ text, encoding: 'shift_jis' });
  });
});
