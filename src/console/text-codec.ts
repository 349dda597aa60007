/**
 * Text <-> bytes on the console line. `console character` chooses the encoding the RTX sends
 * and expects (command reference §4.21): `ascii` (English messages; we pass UTF-8 through
 * unchanged so that nothing typed is lost), `sjis` (Shift_JIS), `euc` (EUC-JP). A front end on a
 * UTF-8 terminal may ask for UTF-8 whatever the setting (an rtxlab option, not RTX behaviour).
 */
import iconv from 'iconv-lite';
import type { ConsoleSettings } from '../config/views/console.js';

export type ConsoleCharacter = ConsoleSettings['character'];

/** What goes over the line: what the RTX would send, or UTF-8 for a modern terminal. */
export type LineEncoding = { readonly kind: 'as-rtx' } | { readonly kind: 'utf-8' };

function iconvName(character: ConsoleCharacter, line: LineEncoding): string {
  if (line.kind === 'utf-8' || character === 'ascii') return 'utf-8';
  return character === 'sjis' ? 'cp932' : 'euc-jp';
}

export function encodeConsoleText(text: string, character: ConsoleCharacter, line: LineEncoding): Buffer {
  return iconv.encode(text, iconvName(character, line));
}

/**
 * Decodes typed bytes; a multi-byte character split across two reads is kept until its second
 * half arrives. Switching `console character` starts a new decoder.
 */
export class ConsoleInputDecoder {
  private decoder: ReturnType<typeof iconv.getDecoder>;
  private name: string;

  constructor(character: ConsoleCharacter, private readonly line: LineEncoding) {
    this.name = iconvName(character, line);
    this.decoder = iconv.getDecoder(this.name);
  }

  decode(bytes: Uint8Array, character: ConsoleCharacter): string {
    const name = iconvName(character, this.line);
    if (name !== this.name) {
      this.name = name;
      this.decoder = iconv.getDecoder(name);
    }
    return this.decoder.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }
}
