import { closeSync, openSync, writeSync } from 'node:fs';
import { createEspSa, formatEspSaRecord } from '../esp/index.js';
import type { InstalledIpsecSa } from '../ike-responder/port.js';

/** Where the ESP SA records go for `--keys FILE`: next to it, as Wireshark names the table. */
export function espSaFilePath(keysFile: string): string {
  return `${keysFile}.esp_sa`;
}

/**
 * Wireshark `esp_sa` records for an installed pair, one per direction, between the outer
 * addresses the ESP travels between (ikev1-notes §6): the peer's to ours with our SPI, ours to
 * the peer's with its SPI.
 */
export function espSaRecords(installed: InstalledIpsecSa): [inbound: string, outbound: string] {
  const transform = { encryption: installed.encryption, integrity: installed.integrity };
  return [
    formatEspSaRecord(installed.peer.address, installed.local.address, createEspSa(transform, installed.inbound)),
    formatEspSaRecord(installed.local.address, installed.peer.address, createEspSa(transform, installed.outbound)),
  ];
}

/**
 * `rtxlab start --keys FILE` also appends every ESP SA to `FILE.esp_sa`, a file tshark reads as
 * `-o uat:esp_sa:<line>` per line (or copied to `~/.config/wireshark/esp_sa`). A second file
 * because the two tables have different formats and Wireshark reads them separately.
 */
export class EspSaFile {
  private fd: number | undefined;

  private constructor(
    readonly path: string,
    fd: number,
  ) {
    this.fd = fd;
  }

  /** Opens for appending, creating it with mode 0600 (session keys). Throws when it cannot. */
  static open(path: string): EspSaFile {
    return new EspSaFile(path, openSync(path, 'a', 0o600));
  }

  /** Both directions in one write(2) on an O_APPEND descriptor: never half a pair on disk. */
  append(installed: InstalledIpsecSa): void {
    if (this.fd === undefined) throw new Error(`ESP SA file ${this.path} is closed`);
    writeSync(this.fd, Buffer.from(`${espSaRecords(installed).join('\n')}\n`));
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}
