/**
 * ESP as IP protocol 50 (no NAT traversal) through the native helper (helper.ts): a raw socket
 * bound to one local IPv4 address, which hears ESP addressed there only. Needs root or
 * CAP_NET_RAW. Used by the router (src/router) and the bundled client (src/initiator).
 */
import { startHelper, type HelperOptions } from './helper.js';

export { NETIO_HELPER } from './helper.js';

export interface RawEspSocket {
  /** The local IPv4 address the socket is bound to. */
  readonly localAddress: string;
  send(to: string, packet: Buffer): 'sent' | 'socket-closed';
  /** Listens for received ESP packets; returns the unsubscribe. */
  onPacket(listener: (from: string, packet: Buffer) => void): () => void;
  close(): Promise<void>;
  readonly closed: boolean;
}

export type RawEspOpenResult = { readonly ok: true; readonly socket: RawEspSocket } | { readonly ok: false; readonly reason: string };

export async function openRawEspSocket(localAddress: string, options: HelperOptions = {}): Promise<RawEspOpenResult> {
  const started = await startHelper(['esp', localAddress], options);
  if (!started.ok) return started;
  const { link } = started;
  return {
    ok: true,
    socket: {
      localAddress,
      get closed() {
        return link.closed;
      },
      send: (to, packet) => (link.send({ address: to, packet }) === 'sent' ? 'sent' : 'socket-closed'),
      onPacket: (listener) => link.onFrame((frame) => listener(frame.address, frame.packet)),
      close: () => link.close(),
    },
  };
}
