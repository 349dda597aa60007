/**
 * A TUN device (`--lan-tun NAME`) through the native helper (helper.ts): IP packets in and out
 * of the host's network stack, so real hosts and services answer behind the router. The helper
 * creates the device; whoever runs rtxlab gives it an address and routes (ip address add ...
 * dev NAME; ip link set NAME up). Needs root or CAP_NET_ADMIN.
 */
import { startHelper, type HelperOptions } from './helper.js';

/** The frames of a TUN device carry no address: the IP header says it. */
const NO_ADDRESS = '0.0.0.0';

export interface TunDevice {
  readonly name: string;
  /** Writes one IP packet into the host's stack, as if it arrived on the device. */
  write(packet: Buffer): 'sent' | 'closed';
  /** Listens for the IP packets the host routes out of the device; returns the unsubscribe. */
  onPacket(listener: (packet: Buffer) => void): () => void;
  close(): Promise<void>;
}

export type TunOpenResult = { readonly ok: true; readonly device: TunDevice } | { readonly ok: false; readonly reason: string };

export async function openTunDevice(name: string, options: HelperOptions = {}): Promise<TunOpenResult> {
  const started = await startHelper(['tun', name], options);
  if (!started.ok) return started;
  const { link } = started;
  return {
    ok: true,
    device: {
      name,
      write: (packet) => link.send({ address: NO_ADDRESS, packet }),
      onPacket: (listener) => link.onFrame((frame) => listener(frame.packet)),
      close: () => link.close(),
    },
  };
}
