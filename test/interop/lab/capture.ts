import type { NetNamespace } from './netns.js';
import type { Daemon } from './process.js';

export interface CaptureOptions {
  /** Device inside the namespace (a LabNode's `iface`). */
  iface: string;
  /** pcap file to write (classic pcap, Ethernet framing). */
  file: string;
  /** tcpdump filter expression; default "udp" (IKE on 500/4500 and ESP-in-UDP). */
  filter?: string;
}

/**
 * tcpdump writing a pcap inside a namespace. -U flushes every packet to the file (without it the
 * file can stay empty when tcpdump is stopped); --immediate-mode hands each packet to tcpdump as
 * it arrives (without it the last second's packets still sit in the kernel's ring buffer when
 * tcpdump is stopped and are lost: "18 received by filter", 16 captured); -Z root keeps tcpdump
 * from dropping to a user that cannot write into the lab's folder.
 */
export class PacketCapture {
  private constructor(
    readonly file: string,
    private readonly daemon: Daemon,
  ) {}

  /** Starts tcpdump and resolves once it is listening, so the first packet of a test is not missed. */
  static async start(node: NetNamespace, options: CaptureOptions): Promise<PacketCapture> {
    const daemon = node.spawn(['tcpdump', '-U', '--immediate-mode', '-n', '-Z', 'root', '-i', options.iface, '-w', options.file, options.filter ?? 'udp']);
    await daemon.waitForOutput(/listening on/, 5_000);
    return new PacketCapture(options.file, daemon);
  }

  /** Stops tcpdump (SIGINT: it closes the file cleanly) and returns the pcap's path. */
  async stop(): Promise<string> {
    await this.daemon.stop({ signal: 'SIGINT' });
    return this.file;
  }

  /** tcpdump's own messages, e.g. "N packets captured" after stop(). */
  output(): string {
    return this.daemon.output();
  }
}
