/**
 * `rtxlab start --pcap FILE`: every datagram the router sends and receives on its IKE and NAT-T
 * ports, written as it happens to a classic libpcap file (format: pcap-format.ts).
 *
 * Decoding it with the keys rtxlab writes (`--keys keys.txt` also writes `keys.txt.esp_sa`):
 *
 *     mkdir -p ws && cp keys.txt ws/ikev1_decryption_table && cp keys.txt.esp_sa ws/esp_sa
 *     WIRESHARK_CONFIG_DIR=ws tshark -r rtxlab.pcap -o esp.enable_encryption_decode:TRUE \
 *       -o esp.enable_authentication_check:TRUE -V
 *
 * WIRESHARK_CONFIG_DIR points tshark at a personal configuration folder holding the two key
 * tables as the files Wireshark itself reads, so one command decodes the XAUTH user name, the
 * mode-cfg attributes, Quick Mode and the packets inside ESP (test/router/pcap-tshark.test.ts runs
 * exactly this). Use `-Y isakmp` or `-Y icmp` to pick the layers, `-O isakmp` for their details.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { pcapGlobalHeader, pcapRecord, type CapturedUdpDatagram } from './pcap-format.js';
import { errorCode, RouterStartError } from './start-errors.js';

export type { CapturedUdpDatagram } from './pcap-format.js';

/** Where the bytes go: a file descriptor in production, anything in tests. */
export interface ByteSink {
  /** Writes all of `bytes` or throws. */
  write(bytes: Buffer): void;
  close(): void;
}

export interface PcapWriterOptions {
  /**
   * Told about every datagram that was not written, once per problem: a datagram that cannot be
   * framed (a non-IP endpoint, an oversized payload; later datagrams are still written), or the
   * file failing (ENOSPC, EIO: the writer stops for good, so the file ends after its last whole
   * record). Called synchronously from `write`; whatever it throws is swallowed.
   */
  readonly onError?: (error: Error) => void;
}

/**
 * Writes one pcap record per datagram straight through to the file (one write(2) per record, no
 * buffer: memory stays constant however long rtxlab runs, and the file is readable while it
 * runs). `write` never throws: the router calls it on its hot path.
 */
export class PcapWriter {
  private sink: ByteSink | undefined;
  private failure: Error | undefined;
  /** IPv4 identification field: counts like a host's, so every packet differs. */
  private identification = 0;
  private written = 0;

  private constructor(
    /** The file name, or a description of the sink. */
    readonly path: string,
    sink: ByteSink,
    private readonly onError: ((error: Error) => void) | undefined,
  ) {
    this.sink = sink;
  }

  /**
   * Creates (or truncates) `path` with mode 0600 and writes the pcap header. Throws a
   * RouterStartError saying which file and why when it cannot (no such directory, permission
   * denied, a directory, disk full).
   */
  static open(path: string, options: PcapWriterOptions = {}): PcapWriter {
    let fd: number | undefined;
    try {
      fd = openSync(path, 'w', 0o600);
      const sink = fileSink(fd);
      sink.write(pcapGlobalHeader());
      return new PcapWriter(path, sink, options.onError);
    } catch (error) {
      if (fd !== undefined) closeSync(fd);
      throw new RouterStartError(`cannot write the capture file ${path}: ${describeFileError(error)}`, errorCode(error), { cause: error });
    }
  }

  /** A writer over any sink (tests; an in-memory capture). The header is written at once. */
  static toSink(name: string, sink: ByteSink, options: PcapWriterOptions = {}): PcapWriter {
    sink.write(pcapGlobalHeader());
    return new PcapWriter(name, sink, options.onError);
  }

  /** Records written so far. */
  get recordsWritten(): number {
    return this.written;
  }

  /** Why the writer stopped, if the file failed. */
  get failed(): Error | undefined {
    return this.failure;
  }

  /** Appends one datagram; returns whether it was written. Never throws. */
  write(datagram: CapturedUdpDatagram): boolean {
    const sink = this.sink;
    if (sink === undefined) return false;
    let record: Buffer;
    try {
      record = pcapRecord(datagram, { identification: this.identification });
    } catch (error) {
      this.report(new Error(`${this.path}: datagram ${describeDatagram(datagram)} not captured: ${messageOf(error)}`, { cause: error }));
      return false;
    }
    try {
      sink.write(record);
    } catch (error) {
      // A partial record would misalign every later one: stop at the last whole record.
      this.failure = new Error(`${this.path}: capture stopped after ${this.written} datagrams: ${describeFileError(error)}`, { cause: error });
      this.closeSink();
      this.report(this.failure);
      return false;
    }
    this.identification = (this.identification + 1) & 0xffff;
    this.written++;
    return true;
  }

  /** Closes the file; later writes are ignored. Idempotent. */
  close(): void {
    this.closeSink();
  }

  private closeSink(): void {
    const sink = this.sink;
    this.sink = undefined;
    try {
      sink?.close();
    } catch {
      // Closing a descriptor that failed to write can fail again; nothing is left to save.
    }
  }

  private report(error: Error): void {
    try {
      this.onError?.(error);
    } catch {
      // The router's hot path must not see a listener's exception.
    }
  }
}

function fileSink(fd: number): ByteSink {
  return {
    write(bytes) {
      // writeSync may write less than asked (a full pipe, a signal); a file rarely does.
      for (let offset = 0; offset < bytes.length; ) offset += writeSync(fd, bytes, offset);
    },
    close: () => closeSync(fd),
  };
}

function describeFileError(error: unknown): string {
  switch (errorCode(error)) {
    case 'ENOENT':
      return 'its directory does not exist';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    case 'ENOSPC':
      return 'no space left on the device';
    default:
      return messageOf(error);
  }
}

function describeDatagram(datagram: CapturedUdpDatagram): string {
  return `${datagram.from.address}:${datagram.from.port} -> ${datagram.to.address}:${datagram.to.port} (${datagram.bytes.length} bytes)`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
