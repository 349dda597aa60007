import type { EndpointPair, InitiatorOptions, Phase1Randomness } from '../../../src/initiator/index.js';

const hex = (text: string): Buffer => Buffer.from(text, 'hex');

/** The seed's client: id `myid`, PSK `PSKEY1`, 3DES/SHA1/MODP1024 with XAUTH (65001). */
export function seedClientOptions(overrides: Partial<InitiatorOptions> = {}): InitiatorOptions {
  return {
    identity: { kind: 'fqdn', name: 'myid' },
    preSharedKey: Buffer.from('PSKEY1'),
    proposals: [{ encryption: '3des-cbc', hash: 'sha1', group: 2, authMethod: 'xauth-init-pre-shared', lifeSeconds: 28800 }],
    vendorIds: ['XAUTH', 'DPD'],
    natTraversal: 'off',
    message3: { encrypt: false },
    ...overrides,
  };
}

export const fixedRandomness: Phase1Randomness = {
  initiatorCookie: hex('0123456789abcdef'),
  nonce: Buffer.alloc(32, 0xa5),
  dhPrivateKey: hex('00c0ffee00c0ffee00c0ffee00c0ffee'),
};

/** Client 192.0.2.132 talking to the seed router's `ipsec ike local address 1 172.16.0.254`. */
export const phase1Path: EndpointPair = {
  local: { address: '192.0.2.132', port: 500 },
  remote: { address: '172.16.0.254', port: 500 },
};
