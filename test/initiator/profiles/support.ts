/** Building a profile's message 1 and reading back what it offers, to compare with a real client's. */
import { decodeMessage, readPhase1Transform, type DecodedPayload } from '../../../src/ike/codec/index.js';
import { vendorIdName } from '../../../src/ike/constants.js';
import { buildAggressive1, type TunnelOptions } from '../../../src/initiator/index.js';
import { CLIENT_PROFILES, SEED_CLIENT_INPUTS, type ProfileName } from '../../../src/initiator/profiles/index.js';

export function seedTunnelOf(name: ProfileName): TunnelOptions {
  return CLIENT_PROFILES[name].tunnel({ ...SEED_CLIENT_INPUTS, localAddress: '192.0.2.132' });
}

/** The profile's message 1 decoded: its transforms, Vendor IDs (by name, raw hex otherwise) and nonce length. */
export function message1Of(options: TunnelOptions) {
  const nonceLength = options.phase1.nonceLength ?? 32;
  const built = buildAggressive1(options.phase1, {
    initiatorCookie: Buffer.from('0123456789abcdef', 'hex'),
    nonce: Buffer.alloc(nonceLength, 0x42),
    dhPrivateKey: Buffer.from('00c0ffee00c0ffee00c0ffee00c0ffee', 'hex'),
  });
  const decoded = decodeMessage(built.bytes);
  if (!decoded.ok || decoded.value.kind !== 'cleartext') throw new Error('message 1 did not decode');
  return readMessage1(decoded.value.payloads);
}

export function readMessage1(payloads: readonly DecodedPayload[]) {
  const sa = payloads.find((payload) => payload.type === 'sa');
  if (sa?.type !== 'sa') throw new Error('no SA payload');
  const nonce = payloads.find((payload) => payload.type === 'nonce');
  return {
    sa,
    proposalNumber: sa.proposals[0]!.proposalNumber,
    transforms: sa.proposals[0]!.transforms.map((transform) => readPhase1Transform(transform)),
    transformNumbers: sa.proposals[0]!.transforms.map((transform) => transform.transformNumber),
    vendorIds: payloads.flatMap((payload) => (payload.type === 'vendor-id' ? [vendorIdName(payload.vendorId) ?? payload.vendorId.toString('hex')] : [])),
    nonceLength: nonce?.type === 'nonce' ? nonce.nonce.length : undefined,
  };
}
