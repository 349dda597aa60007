import { describe, expect, it } from 'vitest';
import {
  attributePayload,
  deletePayload,
  describePayload,
  hashPayload,
  idPayload,
  isakmpProposal,
  kePayload,
  natDPayload,
  natOaPayload,
  noncePayload,
  notifyPayload,
  payloadName,
  saPayload,
  vendorIdPayload,
  type Payload,
} from '../../../src/ike/codec/index.js';

const EVERY_KIND: readonly Payload[] = [
  saPayload([isakmpProposal([])]),
  kePayload(Buffer.alloc(128)),
  noncePayload(Buffer.alloc(16)),
  idPayload({ kind: 'fqdn', name: 'myid' }),
  hashPayload(Buffer.alloc(20)),
  vendorIdPayload('DPD'),
  notifyPayload({ notifyType: 24578 }),
  deletePayload({ protocolId: 3, spis: [Buffer.from('01020304', 'hex')] }),
  natDPayload(Buffer.alloc(20)),
  natOaPayload({ kind: 'ipv4-address', address: '192.0.2.1' }),
  attributePayload(1, []),
  { type: 'unknown', payloadType: 6, data: Buffer.alloc(3) },
];

describe('payloadName', () => {
  it.each(EVERY_KIND.map((payload) => [payload.type, payload] as const))('names a %s payload as describePayload does', (_kind, payload) => {
    expect(payloadName(payload)).toBe(describePayload(payload).name);
  });

  it('gives the short names the ladder and --events ndjson show', () => {
    expect(EVERY_KIND.map(payloadName)).toEqual(['SA', 'KE', 'NONCE', 'ID', 'HASH', 'VID', 'N', 'D', 'NAT-D', 'NAT-OA', 'ATTR', 'CERT']);
  });
});

describe('describePayload', () => {
  it('adds the detail that matters, and none for NAT-D', () => {
    expect(describePayload(idPayload({ kind: 'fqdn', name: 'myid' }))).toEqual({ name: 'ID', detail: 'FQDN myid' });
    expect(describePayload(kePayload(Buffer.alloc(128)))).toEqual({ name: 'KE', detail: '128 bytes' });
    expect(describePayload(natDPayload(Buffer.alloc(20)))).toEqual({ name: 'NAT-D' });
  });
});
