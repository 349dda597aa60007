/**
 * Key material from a charon file log written at level 4 for the ike and chd subsystems
 * (CharonSettings.logLevels { ike: 4, chd: 4 }, or CharonTuning `logKeys`). Debian's strongSwan
 * has no save-keys plugin, so the log is the only place a real peer reveals its keys; with them
 * tshark can decrypt a capture independently of any code written here. Pure functions.
 *
 * charon prints a chunk as `LABEL => N bytes @ 0xADDR` followed by lines `  OFFSET: XX XX ...  ascii`.
 */
import type { EspAuthenticationName, EspEncryptionName, EspSaKey } from './tshark.js';

const DUMP_LINE = /^(?:\S+ )?\d+\[\w+\]\s+\d+: ((?:[0-9A-F]{2} ?)+)/;

/** Every hex dump with this label, in log order. */
export function charonHexDumps(log: string, label: string): Buffer[] {
  const lines = log.split('\n');
  const header = new RegExp(`\\[\\w+\\] ${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} => (\\d+) bytes @`);
  const dumps: Buffer[] = [];
  lines.forEach((line, index) => {
    const match = header.exec(line);
    if (!match) return;
    const length = Number(match[1]);
    const bytes: string[] = [];
    for (let next = index + 1; next < lines.length && bytes.length < length; next++) {
      const dump = DUMP_LINE.exec(lines[next]!);
      if (!dump) break;
      bytes.push(...dump[1]!.trim().split(/ +/));
    }
    if (bytes.length !== length) throw new Error(`charon log: dump "${label}" has ${bytes.length} of ${length} bytes`);
    dumps.push(Buffer.from(bytes.join(''), 'hex'));
  });
  return dumps;
}

/** Ka of the IKE SAs this charon derived (RFC 2409 appendix B), in log order. */
export function ikev1EncryptionKeys(log: string): Buffer[] {
  return charonHexDumps(log, 'encryption key Ka');
}

const ESP_ENCRYPTION: Record<string, EspEncryptionName> = {
  '3DES_CBC': 'TripleDES-CBC [RFC2451]',
  DES_CBC: 'DES-CBC [RFC2405]',
  AES_CBC: 'AES-CBC [RFC3602]',
  NULL: 'NULL',
};
const ESP_INTEGRITY: Record<string, EspAuthenticationName> = {
  HMAC_SHA1_96: 'HMAC-SHA-1-96 [RFC2404]',
  HMAC_MD5_96: 'HMAC-MD5-96 [RFC2403]',
  HMAC_SHA2_256_128: 'HMAC-SHA-256-128 [RFC4868]',
};

/**
 * Both directions of every CHILD_SA in the log, ready for tshark's esp_sa table. The KEYMAT seed
 * of each direction starts with the protocol byte and the SPI of that direction (RFC 2409 5.5),
 * which ties the "initiator"/"responder" keys to the SPIs and so to the "adding inbound/outbound
 * ESP SA" lines that give the addresses.
 */
export function espSaKeys(log: string): EspSaKey[] {
  const seedsI = charonHexDumps(log, 'initiator SA seed');
  const seedsR = charonHexDumps(log, 'responder SA seed');
  const encI = charonHexDumps(log, 'encryption initiator key');
  const encR = charonHexDumps(log, 'encryption responder key');
  const integI = charonHexDumps(log, 'integrity initiator key');
  const integR = charonHexDumps(log, 'integrity responder key');
  const encryptionNames = [...log.matchAll(/\[CHD\]\s+using (\S+) for encryption/g)].map((m) => m[1]!);
  const integrityNames = [...log.matchAll(/\[CHD\]\s+using (\S+) for integrity/g)].map((m) => m[1]!);
  const endpoints = new Map<string, { source: string; destination: string }>();
  for (const match of log.matchAll(/SPI 0x([0-9a-f]{8}), src (\S+) dst (\S+)/g)) {
    endpoints.set(match[1]!, { source: match[2]!, destination: match[3]! });
  }
  const keys: EspSaKey[] = [];
  seedsI.forEach((seedI, index) => {
    const encryptionName = encryptionNames[index] ?? '';
    const encryption = ESP_ENCRYPTION[encryptionName.replace(/_\d+$/, '')];
    const integrityName = integrityNames[index] ?? '';
    const authentication = ESP_INTEGRITY[integrityName];
    if (encryption === undefined || authentication === undefined) {
      throw new Error(`charon log: no tshark name for ESP ${encryptionName}/${integrityName}`);
    }
    const directions = [
      { seed: seedI, encryptionKey: encI[index], authenticationKey: integI[index] },
      { seed: seedsR[index], encryptionKey: encR[index], authenticationKey: integR[index] },
    ];
    for (const direction of directions) {
      if (direction.seed === undefined || direction.encryptionKey === undefined || direction.authenticationKey === undefined) {
        throw new Error(`charon log: CHILD_SA ${index + 1} lacks a seed or key dump (log level 4 for chd?)`);
      }
      const spi = direction.seed.subarray(1, 5).toString('hex');
      const endpoint = endpoints.get(spi);
      if (endpoint === undefined) throw new Error(`charon log: no "adding ... ESP SA" line for SPI 0x${spi}`);
      keys.push({
        ...endpoint,
        spi,
        encryption,
        encryptionKey: direction.encryptionKey.toString('hex'),
        authentication,
        authenticationKey: direction.authenticationKey.toString('hex'),
      });
    }
  });
  return keys;
}
