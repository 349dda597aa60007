/**
 * ESP as IP protocol 50 for a kept tunnel whose SA pair was agreed without NAT traversal (the
 * profiles without NAT-T, `--nat-t off`): the raw ESP helper (src/netio; root) bound to the
 * tunnel's local address, sending to and hearing from the gateway's address only.
 */
import type { HelperOptions } from '../netio/helper.js';
import { openRawEspSocket, type RawEspSocket } from '../netio/raw-esp-socket.js';
import type { TransportPaths } from '../ike/initiator/endpoints.js';
import type { EspDatagramPath } from './udp-transport.js';

export interface RawEspPath extends EspDatagramPath {
  close(): Promise<void>;
}

export type RawEspPathResult = { readonly ok: true; readonly path: RawEspPath } | { readonly ok: false; readonly reason: string };

export async function openRawEspPath(paths: TransportPaths, options: HelperOptions = {}): Promise<RawEspPathResult> {
  const { local, remote } = paths.isakmp;
  const opened = await openRawEspSocket(local.address, options);
  if (!opened.ok) return opened;
  const socket: RawEspSocket = opened.socket;
  return {
    ok: true,
    path: {
      send: async (packet) => socket.send(remote.address, packet),
      onPacket: (handler) => socket.onPacket((from, packet) => from === remote.address && handler(packet)),
      close: () => socket.close(),
    },
  };
}
