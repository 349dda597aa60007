import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeHeader, decodeMessage, encodeMessage, flattenedPayloadTypes } from '../../../src/ike/codec/index.js';
import { ExchangeType, vendorIdName } from '../../../src/ike/constants.js';
import { capturesDir } from '../../support/paths.js';
import { readUdpCapture } from '../../support/pcap.js';
import { decodeCleartext, expectOk } from './fixtures.js';

/** One line of a capture's summary.tsv, as tshark saw the frame. */
interface SummaryRow {
  frame: number;
  exchangeType: number;
  flags: number;
  messageId: number;
  payloadTypes: number[];
}

function readSummary(capture: string): Map<number, SummaryRow> {
  const rows = new Map<number, SummaryRow>();
  for (const line of readFileSync(join(capturesDir, capture, 'summary.tsv'), 'utf8').split('\n')) {
    const columns = line.split('\t');
    if (!columns[3]) continue; // ESP frames have no ISAKMP columns
    const frame = Number(columns[0]);
    rows.set(frame, {
      frame,
      exchangeType: Number(columns[3]),
      flags: Number(columns[4]),
      messageId: Number(columns[5]),
      payloadTypes: (columns[6] ?? '').split(',').map(Number),
    });
  }
  return rows;
}

function ikeDatagrams(capture: string) {
  return readUdpCapture(join(capturesDir, capture, 'capture.pcap')).flatMap((datagram) =>
    datagram.content.kind === 'ike' ? [{ frame: datagram.frame, message: datagram.content.message }] : [],
  );
}

const captures = [
  { name: 'strongswan-push', ikeFrames: 14 },
  { name: 'strongswan-pull', ikeFrames: 16 },
  { name: 'vpnc-0.5.3', ikeFrames: 12 },
];

describe.each(captures)('real capture $name', ({ name, ikeFrames }) => {
  const summary = readSummary(name);
  const datagrams = ikeDatagrams(name);

  it('has every IKE datagram listed in the summary', () => {
    expect(datagrams).toHaveLength(ikeFrames);
    expect(datagrams.map((datagram) => datagram.frame)).toEqual([...summary.keys()]);
  });

  it('decodes every IKE datagram\'s header to the exchange, flags and message id tshark saw', () => {
    for (const { frame, message } of datagrams) {
      const row = summary.get(frame)!;
      const header = expectOk(decodeHeader(message));
      expect({ frame, exchangeType: header.exchangeType, flags: header.flags, messageId: header.messageId }).toEqual({
        frame,
        exchangeType: row.exchangeType,
        flags: row.flags,
        messageId: row.messageId,
      });
      expect(header.length).toBe(message.length);
      expect(expectOk(decodeMessage(message)).kind).toBe(row.flags & 1 ? 'encrypted' : 'cleartext');
    }
  });

  it('decodes Aggressive Mode messages 1 and 2 fully, to tshark\'s payload list, and re-encodes them exactly', () => {
    const cleartext = datagrams.filter(({ message }) => expectOk(decodeHeader(message)).flags === 0);
    expect(cleartext.map(({ frame }) => frame)).toEqual([1, 2]);
    for (const { frame, message } of cleartext) {
      const decoded = decodeCleartext(message);
      expect(decoded.header.exchangeType).toBe(ExchangeType.AGGRESSIVE);
      expect(flattenedPayloadTypes(decoded.payloads)).toEqual(summary.get(frame)!.payloadTypes);
      expect(decoded.trailing).toHaveLength(0);
      expect(encodeMessage(decoded.header, decoded.payloads)).toEqual(message);
    }
  });
});

describe('vendor IDs on the wire', () => {
  const vendorNames = (capture: string, frame: number) => {
    const datagram = ikeDatagrams(capture).find((candidate) => candidate.frame === frame)!;
    return decodeCleartext(datagram.message).payloads.flatMap((payload) =>
      payload.type === 'vendor-id' ? [vendorIdName(payload.vendorId) ?? payload.vendorId.toString('hex')] : [],
    );
  };

  it('names everything strongSwan 5.9.8 announces in AM message 1', () => {
    expect(vendorNames('strongswan-push', 1)).toEqual(['XAUTH', 'DPD', 'FRAGMENTATION', 'NAT_T_RFC3947', 'NAT_T_DRAFT_02_N']);
  });

  it('names everything vpnc 0.5.3 announces in AM message 1', () => {
    expect(vendorNames('vpnc-0.5.3', 1)).toEqual([
      'XAUTH',
      'CISCO_UNITY',
      'NAT_T_RFC3947',
      'NAT_T_DRAFT_03',
      'NAT_T_DRAFT_02_N',
      'NAT_T_DRAFT_02',
      'NAT_T_DRAFT_01',
      'NAT_T_DRAFT_00',
      'DPD',
    ]);
  });
});
