/**
 * Bytes -> text for config files. The router reads and writes its config as Shift_JIS with CRLF
 * (command reference §2.3); captures and hand-written files are often UTF-8, and a router whose
 * `console character` is `euc` shows EUC-JP. A file that is valid UTF-8 is read as UTF-8 (pure
 * ASCII is all three); otherwise the Japanese encoding that decodes it without a bad byte, in its
 * Windows form for Shift_JIS (CP932, what Japanese RTX text tools produce). When both do, the
 * one that reads more hiragana wins, Shift_JIS on a tie (the router's own encoding): Japanese
 * text is full of hiragana, Shift_JIS hiragana are no valid EUC-JP, and EUC-JP hiragana read as
 * Shift_JIS are half-width katakana.
 *
 * `judgeConfigBytes` also tells when the bytes are no config text at all (binary, UTF-16, another
 * encoding); `decodeConfigBytes` always gives text (Shift_JIS with replacement characters then).
 */
import iconv from 'iconv-lite';

export type ConfigEncoding = 'utf-8' | 'shift_jis' | 'euc-jp';

export interface DecodedText {
  readonly text: string;
  readonly encoding: ConfigEncoding;
}

export type BytesJudgement =
  | ({ readonly ok: true } & DecodedText)
  | { readonly ok: false; /** Why the bytes are not config text, for people. */ readonly reason: string };

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
const REPLACEMENT = '\ufffd';
const HIRAGANA = /[\u3041-\u309f]/g;

function iconvDecode(bytes: Uint8Array, encoding: string): string {
  return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), encoding);
}

function japanese(bytes: Uint8Array): DecodedText | undefined {
  const candidates: DecodedText[] = [
    { text: iconvDecode(bytes, 'cp932'), encoding: 'shift_jis' as const },
    { text: iconvDecode(bytes, 'euc-jp'), encoding: 'euc-jp' as const },
  ].filter((c) => !c.text.includes(REPLACEMENT));
  const hiragana = (t: string): number => t.match(HIRAGANA)?.length ?? 0;
  // A stable sort keeps Shift_JIS first on a tie.
  return candidates.sort((a, b) => hiragana(b.text) - hiragana(a.text))[0];
}

/** Always text: UTF-8, else a Japanese encoding, else Shift_JIS with replacement characters. */
export function decodeConfigBytes(bytes: Uint8Array): DecodedText {
  const judged = judgeConfigBytes(bytes);
  return judged.ok ? { text: judged.text, encoding: judged.encoding } : { text: iconvDecode(bytes, 'cp932'), encoding: 'shift_jis' };
}

/**
 * Config text or not: a UTF-16 byte order mark, a NUL byte (binary files and UTF-16 text have
 * them; config text never does), control characters a text editor does not write, or bytes that
 * neither UTF-8, Shift_JIS nor EUC-JP decode make it no config text.
 */
export function judgeConfigBytes(bytes: Uint8Array): BytesJudgement {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { ok: false, reason: `it is UTF-16 text (byte order mark ${hex(bytes[0]!)} ${hex(bytes[1]!)}); save it as UTF-8 or Shift_JIS` };
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    const utf16 = bytes.length >= 4 && (bytes[1] === 0 || bytes[0] === 0) && nulEveryOther(bytes);
    return utf16
      ? { ok: false, reason: 'it looks like UTF-16 text without a byte order mark (every other byte is 0); save it as UTF-8 or Shift_JIS' }
      : { ok: false, reason: `it holds a NUL byte at offset ${nul}: a binary file, not config text` };
  }
  const control = bytes.findIndex(isStrayControl);
  if (control >= 0) {
    return { ok: false, reason: `it holds the control byte ${hex(bytes[control]!)} at offset ${control}: a binary file, not config text` };
  }
  try {
    return { ok: true, text: strictUtf8.decode(bytes), encoding: 'utf-8' };
  } catch {
    const decoded = japanese(bytes);
    if (decoded !== undefined) return { ok: true, ...decoded };
    return { ok: false, reason: 'its bytes are neither UTF-8, Shift_JIS nor EUC-JP text' };
  }
}

/** C0 controls other than TAB, LF, FF, CR and ESC (terminal captures keep colour escapes). */
function isStrayControl(byte: number): boolean {
  return byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0c && byte !== 0x0d && byte !== 0x1b;
}

/** UTF-16 of mostly ASCII text: a 0 in every other byte of the first 64 bytes. */
function nulEveryOther(bytes: Uint8Array): boolean {
  const offset = bytes[0] === 0 ? 0 : 1;
  const n = Math.min(bytes.length, 64) & ~1;
  let zeros = 0;
  for (let i = offset; i < n; i += 2) if (bytes[i] === 0) zeros++;
  return zeros >= (n / 2) * 0.9;
}

const hex = (byte: number): string => `0x${byte.toString(16).padStart(2, '0')}`;

/** Text -> Shift_JIS bytes (what a `tftp get config` of the router would hold). */
export function encodeShiftJis(text: string): Uint8Array {
  return new Uint8Array(iconv.encode(text, 'cp932'));
}
