// The capture file's handle: written through record by record, clear errors when it cannot be
// opened, and failures reported to a callback instead of thrown into the router's hot path.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pcapGlobalHeader, pcapRecord } from '../../src/router/pcap-format.js';
import { PcapWriter, type ByteSink, type CapturedUdpDatagram } from '../../src/router/pcap-writer.js';
import { RouterStartError } from '../../src/router/start-errors.js';

const folder = mkdtempSync(join(tmpdir(), 'rtxlab-pcap-writer-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const datagram = (index: number, bytes = Buffer.from(`datagram ${index}`)): CapturedUdpDatagram => ({
  time: 1_700_000_000_000 + index,
  from: { address: '127.0.0.1', port: 500 },
  to: { address: '127.0.0.2', port: 500 },
  bytes,
});

describe('PcapWriter.open', () => {
  it('writes the pcap header at once, then each record as it is written (readable while running)', () => {
    const path = join(folder, 'through.pcap');
    const writer = PcapWriter.open(path);
    expect(readFileSync(path)).toEqual(pcapGlobalHeader());
    writer.write(datagram(0));
    expect(readFileSync(path)).toEqual(Buffer.concat([pcapGlobalHeader(), pcapRecord(datagram(0), { identification: 0 })]));
    writer.write(datagram(1));
    expect(readFileSync(path)).toEqual(
      Buffer.concat([pcapGlobalHeader(), pcapRecord(datagram(0), { identification: 0 }), pcapRecord(datagram(1), { identification: 1 })]),
    );
    expect(writer.recordsWritten).toBe(2);
    writer.close();
  });

  it('replaces an existing file (a capture is one run) and creates it readable by its owner only', () => {
    const path = join(folder, 'old.pcap');
    writeFileSync(path, 'an older capture that is longer than a pcap header');
    PcapWriter.open(path).close();
    expect(readFileSync(path)).toEqual(pcapGlobalHeader());
    const fresh = join(folder, 'fresh.pcap');
    PcapWriter.open(fresh).close();
    expect(statSync(fresh).mode & 0o777).toBe(0o600);
  });

  it('says which file and why when it cannot be opened', () => {
    const attempt = (path: string) => {
      try {
        PcapWriter.open(path);
      } catch (error) {
        return error;
      }
      return undefined;
    };
    const missing = attempt(join(folder, 'no-such-dir', 'x.pcap'));
    expect(missing).toBeInstanceOf(RouterStartError);
    expect(missing).toMatchObject({ code: 'ENOENT', message: `cannot write the capture file ${join(folder, 'no-such-dir', 'x.pcap')}: its directory does not exist` });
    expect(attempt(folder)).toMatchObject({ code: 'EISDIR', message: `cannot write the capture file ${folder}: it is a directory` });
  });

  it('a device that takes no bytes (/dev/full) fails at open, when the header is written', () => {
    expect(() => PcapWriter.open('/dev/full')).toThrow('cannot write the capture file /dev/full: no space left on the device');
  });
});

/** A sink that accepts `capacity` writes, then fails as a full disk does. */
function fillingSink(capacity: number): ByteSink & { writes: Buffer[]; closed: number } {
  const sink = {
    writes: [] as Buffer[],
    closed: 0,
    write(bytes: Buffer) {
      if (sink.writes.length >= capacity) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      sink.writes.push(Buffer.from(bytes));
    },
    close() {
      sink.closed++;
    },
  };
  return sink;
}

describe('PcapWriter.write never throws', () => {
  it('a failing file: reported once, the writer stops at the last whole record and closes it', () => {
    const errors: Error[] = [];
    const sink = fillingSink(3); // header + 2 records
    const writer = PcapWriter.toSink('disk.pcap', sink, { onError: (error) => errors.push(error) });
    expect([0, 1, 2, 3].map((index) => writer.write(datagram(index)))).toEqual([true, true, false, false]);
    expect(errors.map((error) => error.message)).toEqual(['disk.pcap: capture stopped after 2 datagrams: no space left on the device']);
    expect(writer.failed?.message).toBe(errors[0]?.message);
    expect(sink.writes).toHaveLength(3);
    expect(sink.closed).toBe(1);
  });

  it('a datagram that cannot be framed is reported; the ones after it are still written', () => {
    const errors: string[] = [];
    const sink = fillingSink(10);
    const writer = PcapWriter.toSink('mem', sink, { onError: (error) => errors.push(error.message) });
    expect(writer.write({ ...datagram(0), to: { address: 'syslog.example', port: 514 } })).toBe(false);
    expect(writer.write(datagram(1, Buffer.alloc(70_000)))).toBe(false);
    expect(writer.write(datagram(2))).toBe(true);
    expect(errors).toEqual([
      'mem: datagram 127.0.0.1:500 -> syslog.example:514 (10 bytes) not captured: not an IP address: "syslog.example"',
      'mem: datagram 127.0.0.1:500 -> 127.0.0.2:500 (70000 bytes) not captured: a UDP payload of 70000 bytes does not fit in an IPv4 packet (at most 65507)',
    ]);
    expect(sink.writes).toHaveLength(2);
    expect(writer.failed).toBeUndefined();
  });

  it('an onError listener that throws does not reach the caller', () => {
    const writer = PcapWriter.toSink('mem', fillingSink(1), {
      onError: () => {
        throw new Error('listener bug');
      },
    });
    expect(writer.write(datagram(0))).toBe(false);
  });

  it('after close, writes are ignored and close again does nothing', () => {
    const sink = fillingSink(10);
    const writer = PcapWriter.toSink('mem', sink);
    writer.close();
    writer.close();
    expect(writer.write(datagram(0))).toBe(false);
    expect(sink.closed).toBe(1);
    expect(sink.writes).toHaveLength(1);
  });

  it('numbers IPv4 packets like a host: the identification field counts up per record', () => {
    const sink = fillingSink(10);
    const writer = PcapWriter.toSink('mem', sink);
    writer.write(datagram(0));
    writer.write(datagram(1));
    expect(sink.writes.slice(1).map((record) => record.readUInt16BE(16 + 4))).toEqual([0, 1]);
  });
});
