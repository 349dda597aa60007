import { describe, expect, it } from 'vitest';
import { ExchangeType } from '../../src/ike/constants.js';
import { decodeMessage, isakmpProposal, phase1Transform, saPayload, type DecodedPayload } from '../../src/ike/codec/index.js';
import { dhGroup } from '../../src/ike/crypto/index.js';
import { encodeMainModeClearMessage } from '../../src/ike/main-mode.js';
import { buildMainMode1, buildMainMode3, processMainMode2, processMainMode4, type MainMode1State } from '../../src/ike/initiator/main-mode.js';
import type { InitiatorOptions } from '../../src/initiator/index.js';
import { CLIENT, ROUTER } from '../ike-responder/support.js';

const OPTIONS: InitiatorOptions = {
  exchangeMode: 'main',
  identity: { kind: 'ipv4-address', address: CLIENT.address },
  preSharedKey: Buffer.from('SITEKEY'),
  proposals: [
    { encryption: 'aes128-cbc', hash: 'sha1', group: 14, authMethod: 'pre-shared-key', lifeSeconds: 28800 },
    { encryption: '3des-cbc', hash: 'sha1', group: 2, authMethod: 'pre-shared-key', lifeSeconds: 28800 },
  ],
  vendorIds: ['NAT_T_RFC3947'],
  natTraversal: 'on',
  message3: { encrypt: true },
};

const randomness = { initiatorCookie: Buffer.from('a1a2a3a4a5a6a7a8', 'hex'), nonce: Buffer.alloc(32, 3), dhPrivateKey: Buffer.alloc(dhGroup(2).privateExponentLength, 4) };
const RESPONDER_COOKIE = Buffer.from('b1b2b3b4b5b6b7b8', 'hex');
const cookies = { initiatorCookie: randomness.initiatorCookie, responderCookie: RESPONDER_COOKIE };

function payloadsOf(bytes: Buffer): readonly DecodedPayload[] {
  const message = decodeMessage(bytes);
  if (!message.ok || message.value.kind !== 'cleartext') throw new Error('not a clear message');
  return message.value.payloads;
}

/** Message 2 choosing our second transform (3DES, MODP1024), with the NAT-T VID when asked. */
function message2(state: MainMode1State, vendorIds: Parameters<typeof encodeMainModeClearMessage>[1] = []): Buffer {
  const offered = payloadsOf(state.message1).find((payload) => payload.type === 'sa');
  if (offered?.type !== 'sa') throw new Error('no SA');
  const chosen = offered.proposals[0]!.transforms[1]!;
  return encodeMainModeClearMessage(cookies, [saPayload([{ ...offered.proposals[0]!, transforms: [chosen] }]), ...vendorIds]);
}

describe('Main Mode initiator steps', () => {
  it('message 1 is the offer and our vendor IDs, nothing else (no KE: the group is not chosen yet)', () => {
    const built = buildMainMode1(OPTIONS, randomness);
    expect(built.payloads.map((payload) => payload.type)).toEqual(['sa', 'vendor-id']);
    const header = decodeMessage(built.bytes);
    expect(header.ok && header.value.header.exchangeType).toBe(ExchangeType.IDENTITY_PROTECTION);
  });

  it('message 3 carries KE of the chosen group (not the first offered) and NAT-D when both sides announced NAT-T', () => {
    const one = buildMainMode1(OPTIONS, randomness);
    const two = processMainMode2(one.state, message2(one.state, payloadsOf(one.bytes).filter((payload) => payload.type === 'vendor-id')));
    if (!two.ok) throw new Error(two.failure.text);
    expect(two.state.negotiated.proposal).toMatchObject({ encryption: '3des-cbc', group: 2 });
    expect(two.state.natTraversalMethod).toBe('rfc3947');
    const three = buildMainMode3(two.state, { local: CLIENT, remote: ROUTER });
    expect(three.payloads.map((payload) => payload.type)).toEqual(['ke', 'nonce', 'nat-d', 'nat-d']);
    const ke = three.payloads[0];
    expect(ke?.type === 'ke' && ke.keyData.length).toBe(128);
  });

  it('without the responder NAT-T VID, message 3 has no NAT-D', () => {
    const one = buildMainMode1(OPTIONS, randomness);
    const two = processMainMode2(one.state, message2(one.state));
    if (!two.ok) throw new Error(two.failure.text);
    expect(buildMainMode3(two.state, { local: CLIENT, remote: ROUTER }).payloads.map((payload) => payload.type)).toEqual(['ke', 'nonce']);
  });

  it('refuses a message 2 that chose a transform we did not offer', () => {
    const one = buildMainMode1(OPTIONS, randomness);
    const foreign = saPayload([isakmpProposal([phase1Transform({ encryption: 1, hash: 1, group: 1, authMethod: 1 })])]);
    const verdict = processMainMode2(one.state, encodeMainModeClearMessage(cookies, [foreign]));
    expect(verdict.ok === false && verdict.failure.kind).toBe('proposal-not-offered');
  });

  it('refuses a message 2 without SA, and ignores one of another exchange', () => {
    const one = buildMainMode1(OPTIONS, randomness);
    const empty = processMainMode2(one.state, encodeMainModeClearMessage(cookies, []));
    expect(empty.ok === false && empty.failure).toMatchObject({ kind: 'missing-payload', payload: 'sa' });
    const other = processMainMode2(one.state, encodeMainModeClearMessage({ initiatorCookie: Buffer.alloc(8, 9), responderCookie: RESPONDER_COOKIE }, []));
    expect(other.ok === false && other.failure.kind).toBe('foreign-message');
  });

  it('takes message 2 repeated while waiting for 4 as no answer, and refuses a message 4 without KE', () => {
    const one = buildMainMode1(OPTIONS, randomness);
    const bytes2 = message2(one.state);
    const two = processMainMode2(one.state, bytes2);
    if (!two.ok) throw new Error(two.failure.text);
    const three = buildMainMode3(two.state, { local: CLIENT, remote: ROUTER });
    const repeated = processMainMode4(three.state, bytes2);
    expect(repeated.ok === false && repeated.failure.kind).toBe('foreign-message');
    const noKe = processMainMode4(three.state, encodeMainModeClearMessage(cookies, []));
    expect(noKe.ok === false && noKe.failure).toMatchObject({ kind: 'missing-payload', payload: 'ke' });
  });
});
