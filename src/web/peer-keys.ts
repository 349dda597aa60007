/**
 * The keys of the last negotiations, kept so that the administrator's download of a ladder's
 * packets comes with the tables Wireshark needs to read them: the ISAKMP SA's
 * `ikev1_decryption_table` record (by initiator cookie) and the `esp_sa` records of the IPsec SA
 * pairs made with the ladder's peer endpoints. The same records `rtxlab start --keys FILE` writes.
 * Bounded: the oldest go first, as the datagrams do (peer-capture.ts).
 */
import type { KeyMaterialRecord } from '../router/rtx-router-api.js';

/** Far more SAs than the datagrams kept (peer-capture.ts) can hold the negotiations of. */
export const DEFAULT_KEY_LIMIT = 1000;

/** One ladder's keys, as the lines of Wireshark's two tables. */
export interface PeerKeyTables {
  readonly ikev1DecryptionTable: readonly string[];
  readonly espSa: readonly string[];
}

const endpointText = (endpoint: { readonly address: string; readonly port: number }): string =>
  endpoint.address.includes(':') ? `[${endpoint.address}]:${endpoint.port}` : `${endpoint.address}:${endpoint.port}`;

export class PeerKeys {
  private readonly records: KeyMaterialRecord[] = [];

  constructor(private readonly limit = DEFAULT_KEY_LIMIT) {}

  record(record: KeyMaterialRecord): void {
    this.records.push(record);
    if (this.records.length > this.limit) this.records.splice(0, this.records.length - this.limit);
  }

  /**
   * The ISAKMP SA's record and every ESP pair made with one of `peers` (`address:port`): the ESP
   * SAs carry the peer, not the cookies, and a ladder's endpoints are its peer's alone.
   */
  tablesFor(initiatorCookie: string, peers: ReadonlySet<string>): PeerKeyTables {
    const ikev1DecryptionTable: string[] = [];
    const espSa: string[] = [];
    for (const record of this.records) {
      if (record.kind === 'ikev1' && record.initiatorCookie === initiatorCookie) ikev1DecryptionTable.push(record.decryptionTableLine);
      if (record.kind === 'esp' && peers.has(endpointText(record.peer))) espSa.push(...record.espSaLines);
    }
    return { ikev1DecryptionTable, espSa };
  }
}
