import { closeSync, openSync, writeSync } from 'node:fs';

/** Initiator cookie length (RFC 2408 §3.1); Wireshark refuses any other length. */
const COOKIE_BYTES = 8;

/**
 * One record of Wireshark's `ikev1_decryption_table`: the initiator cookie and the Phase 1
 * encryption key, bare lower-case hex, comma-separated (ikev1-notes.md §6; quoted fields are
 * refused by tshark).
 */
export function formatDecryptionTableLine(initiatorCookie: Buffer, encryptionKey: Buffer): string {
  if (initiatorCookie.length !== COOKIE_BYTES) {
    throw new RangeError(`initiator cookie must be ${COOKIE_BYTES} bytes, got ${initiatorCookie.length}`);
  }
  if (encryptionKey.length === 0) throw new RangeError('encryption key is empty');
  return `${initiatorCookie.toString('hex')},${encryptionKey.toString('hex')}`;
}

/**
 * `rtxlab start --keys FILE`: appends one decryption-table record per IKE SA so a capture of
 * rtxlab can be decrypted by Wireshark or tshark
 * (`tshark -o "uat:ikev1_decryption_table:..."`, or copy the file to
 * `~/.config/wireshark/ikev1_decryption_table`).
 */
export class KeysFile {
  private fd: number | undefined;

  private constructor(
    readonly path: string,
    fd: number,
  ) {
    this.fd = fd;
  }

  /**
   * Opens `path` for appending, creating it if missing. A new file gets mode 0600: it holds
   * session keys. Throws (ENOENT, EACCES, EISDIR, ...) when it cannot be opened.
   */
  static open(path: string): KeysFile {
    return new KeysFile(path, openSync(path, 'a', 0o600));
  }

  /**
   * Appends one record. Each record is a single write(2) on an O_APPEND descriptor, so records
   * never interleave with other writers' and a reader never sees half a line from us.
   */
  append(initiatorCookie: Buffer, encryptionKey: Buffer): void {
    if (this.fd === undefined) throw new Error(`keys file ${this.path} is closed`);
    writeSync(this.fd, Buffer.from(`${formatDecryptionTableLine(initiatorCookie, encryptionKey)}\n`));
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}
