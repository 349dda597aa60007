import { describe, expect, it } from 'vitest';
import { PayloadType, vendorIdBytes } from '../../src/ike/constants.js';
import { computeNatDiscoveryHash } from '../../src/ike/crypto/index.js';
import { addressBytes, detectNat, natDiscoveryPayloads, negotiateNatTraversal } from '../../src/ike-responder/nat-traversal.js';
import { gatewayPolicy } from '../../src/ike-responder/policy.js';

const on = gatewayPolicy(1, { natTraversal: { enabled: true, keepaliveSeconds: 300, force: false } });
const off = gatewayPolicy(1);
const cookies = { initiatorCookie: Buffer.alloc(8, 1), responderCookie: Buffer.alloc(8, 2) };
const client = { address: '192.0.2.132', port: 500 };
const router = { address: '192.0.2.254', port: 500 };
const natD = (endpoint: { address: string; port: number }) =>
  computeNatDiscoveryHash('sha1', cookies.initiatorCookie, cookies.responderCookie, addressBytes(endpoint.address)!, endpoint.port);

describe('NAT-T negotiation (RFC 3947 and drafts)', () => {
  it('needs both `nat-traversal on` and a NAT-T Vendor ID from the initiator', () => {
    expect(negotiateNatTraversal(off, [vendorIdBytes('NAT_T_RFC3947')])).toBeUndefined();
    expect(negotiateNatTraversal(on, [vendorIdBytes('DPD')])).toBeUndefined();
    expect(negotiateNatTraversal(on, [vendorIdBytes('NAT_T_RFC3947')])).toEqual({ vendorId: 'NAT_T_RFC3947', natDPayloadType: PayloadType.NAT_D });
  });

  it('prefers the RFC, then the newest draft; never drafts 00/01', () => {
    const strongswan = [vendorIdBytes('NAT_T_DRAFT_02_N'), vendorIdBytes('NAT_T_RFC3947')];
    expect(negotiateNatTraversal(on, strongswan)?.vendorId).toBe('NAT_T_RFC3947');
    expect(negotiateNatTraversal(on, [vendorIdBytes('NAT_T_DRAFT_02'), vendorIdBytes('NAT_T_DRAFT_03')])).toEqual({
      vendorId: 'NAT_T_DRAFT_03',
      natDPayloadType: PayloadType.NAT_D_DRAFT,
    });
    expect(negotiateNatTraversal(on, [vendorIdBytes('NAT_T_DRAFT_00'), vendorIdBytes('NAT_T_DRAFT_01')])).toBeUndefined();
  });

  it('message 2\'s NAT-D pair hashes the remote end first, then the local end, as on the wire', () => {
    const payloads = natDiscoveryPayloads({ vendorId: 'NAT_T_RFC3947', natDPayloadType: 20 }, 'sha1', cookies, client, router);
    expect(payloads.map((payload) => payload.hash)).toEqual([natD(client), natD(router)]);
  });

  it('reads the initiator\'s NAT-D of message 3: destination first, then its sources', () => {
    expect(detectNat('sha1', cookies, [natD(router), natD(client)], client, router)).toEqual({ peerBehindNat: false, selfBehindNat: false });
    const mapped = { address: '198.51.100.7', port: 4500 };
    expect(detectNat('sha1', cookies, [natD(router), natD({ address: '10.0.0.2', port: 500 })], mapped, router)).toEqual({ peerBehindNat: true, selfBehindNat: false });
    expect(detectNat('sha1', cookies, [Buffer.alloc(20), natD(client)], client, router)).toEqual({ peerBehindNat: false, selfBehindNat: true });
    expect(detectNat('sha1', cookies, [], client, router)).toBeUndefined();
  });

  it('handles IPv6 addresses and refuses non-addresses', () => {
    expect(addressBytes('2001:db8::1')).toHaveLength(16);
    expect(addressBytes('not-an-address')).toBeUndefined();
  });
});
