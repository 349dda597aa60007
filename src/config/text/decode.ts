/**
 * Bytes -> text for config files. The router reads and writes its config as Shift_JIS with CRLF
 * (command reference §2.3); captures and hand-written files are often UTF-8. A file that is
 * valid UTF-8 is read as UTF-8 (pure ASCII is both); anything else is read as Shift_JIS in its
 * Windows form (CP932), which is what Japanese RTX text tools produce.
 */
import iconv from 'iconv-lite';

export type ConfigEncoding = 'utf-8' | 'shift_jis';

export interface DecodedText {
  readonly text: string;
  readonly encoding: ConfigEncoding;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

export function decodeConfigBytes(bytes: Uint8Array): DecodedText {
  try {
    return { text: strictUtf8.decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'cp932'), encoding: 'shift_jis' };
  }
}

/** Text -> Shift_JIS bytes (what a `tftp get config` of the router would hold). */
export function encodeShiftJis(text: string): Uint8Array {
  return new Uint8Array(iconv.encode(text, 'cp932'));
}
