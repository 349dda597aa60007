import { assertSucceeded, runCommand } from './process.js';

/** One record of Wireshark's `ikev1_decryption_table` UAT: bare hex, no quotes (quoted records are rejected). */
export interface Ikev1DecryptionKey {
  /** 8 bytes, 16 hex digits. */
  initiatorCookie: string;
  /** Ka, at least the cipher's key length (hex). */
  encryptionKey: string;
}

export type EspEncryptionName = 'TripleDES-CBC [RFC2451]' | 'DES-CBC [RFC2405]' | 'AES-CBC [RFC3602]' | 'NULL';
export type EspAuthenticationName = 'HMAC-SHA-1-96 [RFC2404]' | 'HMAC-MD5-96 [RFC2403]' | 'HMAC-SHA-256-128 [RFC4868]' | 'NULL';

/** One direction of an ESP SA for Wireshark's `esp_sa` UAT; addresses may be "*". */
export interface EspSaKey {
  source: string;
  destination: string;
  /** SPI in hex, with or without 0x. */
  spi: string;
  encryption: EspEncryptionName;
  encryptionKey: string;
  authentication: EspAuthenticationName;
  authenticationKey: string;
}

export interface TsharkDecryption {
  ikev1?: readonly Ikev1DecryptionKey[];
  esp?: readonly EspSaKey[];
}

const HEX = /^[0-9a-fA-F]+$/;
const hex0x = (value: string) => `0x${value.replace(/^0x/i, '')}`;

/**
 * Pure: the text of an ikev1_decryption_table file (`COOKIE,KA` per line, as strongSwan's
 * save-keys plugin and `rtxlab start --keys FILE` write it) to records.
 */
export function parseIkev1DecryptionTable(text: string): Ikev1DecryptionKey[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [initiatorCookie = '', encryptionKey = ''] = line.replace(/"/g, '').split(',');
      return { initiatorCookie, encryptionKey };
    });
}

/**
 * Wireshark's `esp_sa` table (what `rtxlab start --keys FILE` writes to FILE.esp_sa: quoted
 * fields protocol, source, destination, SPI, encryption, key, authentication, key) to records.
 */
export function parseEspSaTable(text: string): EspSaKey[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [, source = '', destination = '', spi = '', encryption = '', encryptionKey = '', authentication = '', authenticationKey = ''] = [...line.matchAll(/"([^"]*)"/g)].map((m) => m[1] ?? '');
      return { source, destination, spi, encryption: encryption as EspEncryptionName, encryptionKey, authentication: authentication as EspAuthenticationName, authenticationKey };
    });
}

/** The `-o` preferences that give tshark the keys. Pure. */
export function tsharkDecryptionArgs(decryption: TsharkDecryption = {}): string[] {
  const args: string[] = [];
  for (const key of decryption.ikev1 ?? []) {
    if (!HEX.test(key.initiatorCookie) || key.initiatorCookie.length !== 16) throw new Error(`initiator cookie must be 16 hex digits: ${key.initiatorCookie}`);
    if (!HEX.test(key.encryptionKey)) throw new Error(`encryption key must be hex: ${key.encryptionKey}`);
    args.push('-o', `uat:ikev1_decryption_table:${key.initiatorCookie},${key.encryptionKey}`);
  }
  if ((decryption.esp ?? []).length > 0) {
    args.push('-o', 'esp.enable_encryption_decode:TRUE', '-o', 'esp.enable_authentication_check:TRUE');
  }
  for (const sa of decryption.esp ?? []) {
    const fields = ['IPv4', sa.source, sa.destination, hex0x(sa.spi), sa.encryption, hex0x(sa.encryptionKey), sa.authentication, hex0x(sa.authenticationKey)];
    args.push('-o', `uat:esp_sa:${fields.map((field) => `"${field}"`).join(',')}`);
  }
  return args;
}

/** Runs tshark on a pcap with the given keys and extra arguments; throws (with stderr) if tshark fails. */
export async function runTshark(pcap: string, args: readonly string[], decryption?: TsharkDecryption): Promise<string> {
  const result = await runCommand(['tshark', '-n', '-r', pcap, ...tsharkDecryptionArgs(decryption), ...args], { timeoutMs: 30_000 });
  return assertSucceeded(result).stdout;
}

/** One line per packet (tshark's default summary). */
export function decodeSummary(pcap: string, decryption?: TsharkDecryption): Promise<string> {
  return runTshark(pcap, [], decryption);
}

/** Full packet details (tshark -V), the text to search for decoded payloads. */
export function decodeVerbose(pcap: string, decryption?: TsharkDecryption): Promise<string> {
  return runTshark(pcap, ['-V'], decryption);
}

/** Between the items of one field when it occurs several times in a frame; unlikely in any value. */
const AGGREGATOR = '\x1e';

/**
 * Field values per frame (`-T fields`), each field as the list of its occurrences in the frame,
 * e.g. readFields(pcap, ['isakmp.exchangetype', 'isakmp.typepayload']).
 */
export async function readFields(
  pcap: string,
  fields: readonly string[],
  options: { decryption?: TsharkDecryption; displayFilter?: string } = {},
): Promise<Array<Record<string, string[]>>> {
  const args = ['-T', 'fields', '-E', 'separator=/t', '-E', 'occurrence=a', '-E', `aggregator=${AGGREGATOR}`];
  for (const field of fields) args.push('-e', field);
  if (options.displayFilter !== undefined) args.push('-Y', options.displayFilter);
  return parseFieldRows(await runTshark(pcap, args, options.decryption), fields);
}

/** Pure: tshark `-T fields` output (tab-separated, AGGREGATOR between occurrences) to records. */
export function parseFieldRows(text: string, fields: readonly string[]): Array<Record<string, string[]>> {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const columns = line.split('\t');
      const row: Record<string, string[]> = {};
      fields.forEach((field, index) => {
        const column = columns[index] ?? '';
        row[field] = column === '' ? [] : column.split(AGGREGATOR);
      });
      return row;
    });
}

export type ExpertSeverity = 'comment' | 'chat' | 'note' | 'warning' | 'error';

/** An expert-info item (Wireshark's own verdict on a packet: malformed, undecoded, bad checksum ...). */
export interface ExpertItem {
  frame: number;
  severity: ExpertSeverity;
  /** e.g. "malformed", "protocol", "undecoded" or the group's hex code. */
  group: string;
  message: string;
}

// epan/expert.h: PI_SEVERITY_MASK and PI_GROUP_MASK values.
const SEVERITIES: Record<number, ExpertSeverity> = { 0x100000: 'comment', 0x200000: 'chat', 0x400000: 'note', 0x600000: 'warning', 0x800000: 'error' };
const GROUPS: Record<number, string> = {
  0x01000000: 'checksum', 0x02000000: 'sequence', 0x03000000: 'response-code', 0x04000000: 'request-code',
  0x05000000: 'undecoded', 0x06000000: 'reassemble', 0x07000000: 'malformed', 0x08000000: 'debug',
  0x09000000: 'protocol', 0x0a000000: 'security', 0x0b000000: 'comments', 0x0c000000: 'decryption',
  0x0d000000: 'assumption', 0x0e000000: 'deprecated',
};
const EXPERT_FIELDS = ['frame.number', '_ws.expert.severity', '_ws.expert.group', '_ws.expert.message', 'esp.icv_bad'] as const;

/**
 * Pure: the rows of readFields(EXPERT_FIELDS) to expert items. A failed ESP ICV check is not an
 * expert item in tshark 4.0 (only the field esp.icv_bad = 1), so it is reported here as one.
 */
export function expertItemsFromRows(rows: ReadonlyArray<Record<string, string[]>>): ExpertItem[] {
  return rows.flatMap((row) => {
    const frame = Number(row['frame.number']?.[0]);
    const severities = row['_ws.expert.severity'] ?? [];
    const items: ExpertItem[] = severities.map((severity, index) => {
      const group = Number(row['_ws.expert.group']?.[index]);
      return {
        frame,
        severity: SEVERITIES[Number(severity)] ?? 'error',
        group: GROUPS[group] ?? `0x${group.toString(16)}`,
        message: row['_ws.expert.message']?.[index] ?? '',
      };
    });
    if ((row['esp.icv_bad'] ?? []).includes('1')) {
      items.push({ frame, severity: 'error', group: 'checksum', message: 'ESP ICV does not match (esp.icv_bad)' });
    }
    return items;
  });
}

export async function expertItems(pcap: string, decryption?: TsharkDecryption): Promise<ExpertItem[]> {
  const rows = await readFields(pcap, EXPERT_FIELDS, { decryption, displayFilter: '_ws.expert || _ws.malformed || esp.icv_bad == 1' });
  return expertItemsFromRows(rows);
}

/**
 * What an independent decoder objects to: every warning or error (malformed packets are errors
 * of group "malformed"; with ESP keys, a failed ICV check is one too). An empty list is the pass
 * condition for packets a test wants to prove well formed.
 */
export async function decoderComplaints(pcap: string, decryption?: TsharkDecryption): Promise<ExpertItem[]> {
  return (await expertItems(pcap, decryption)).filter((item) => item.severity === 'warning' || item.severity === 'error' || item.group === 'malformed');
}
