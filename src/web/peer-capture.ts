/**
 * The datagrams of the last minutes, kept so that the administrator can download one client's
 * packets as pcap from its ladder (the ladder names the endpoints its messages used). Bounded:
 * the oldest go first. The bytes are as on the wire (IKE encrypted where it was), so the file
 * holds no key; it is still the administrator's, as a `--pcap` file would be.
 */
import { pcapGlobalHeader, pcapRecord } from '../router/pcap-format.js';
import type { DatagramRecord } from '../router/rtx-router-api.js';

export const DEFAULT_CAPTURE_LIMIT = 5000;

const endpointText = (endpoint: { readonly address: string; readonly port: number }): string =>
  endpoint.address.includes(':') ? `[${endpoint.address}]:${endpoint.port}` : `${endpoint.address}:${endpoint.port}`;

export class PeerCaptures {
  private readonly datagrams: DatagramRecord[] = [];

  constructor(private readonly limit = DEFAULT_CAPTURE_LIMIT) {}

  record(datagram: DatagramRecord): void {
    this.datagrams.push(datagram);
    if (this.datagrams.length > this.limit) this.datagrams.splice(0, this.datagrams.length - this.limit);
  }

  /** A pcap file of every kept datagram from or to one of `peers` (`address:port`). */
  pcap(peers: ReadonlySet<string>): { readonly file: Buffer; readonly datagrams: number } {
    const mine = this.datagrams.filter((datagram) => peers.has(endpointText(datagram.direction === 'in' ? datagram.from : datagram.to)));
    return { file: Buffer.concat([pcapGlobalHeader(), ...mine.map((datagram) => pcapRecord(datagram))]), datagrams: mine.length };
  }
}
