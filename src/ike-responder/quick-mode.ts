/**
 * Quick Mode on the responder side (RFC 2409 §5.5), pure:
 *
 *   HDR*, HASH(1), SA, Ni [, KE] [, IDci, IDcr]   -->   readQuickMode1
 *            <--   HDR*, HASH(2), SA, Nr [, KE] [, IDci, IDcr]   respondToQuickMode1
 *   HDR*, HASH(3)                                 -->   readQuickMode3
 *
 * HASH(1) = prf(SKEYID_a, M-ID | SA | Ni [| KE] [| IDci | IDcr]); HASH(2) puts Ni_b after the
 * M-ID; HASH(3) = prf(SKEYID_a, 0 | M-ID | Ni_b | Nr_b). All three share the M-ID's IV chain,
 * fresh from the Phase 1 block. The identities are returned exactly as received (RFC 2409 §5.5:
 * the responder's IDs must be the initiator's); whether the RTX checks them against the
 * mode-cfg address or `ipsec ike remote id` was NOT FOUND (ASSUMED: not checked). The commit bit
 * is tolerated and never set (vpnc refuses any flags but E).
 */
import { ExchangeType, IsakmpFlag, ProtocolId } from '../ike/constants.js';
import {
  formatIdentity,
  kePayload,
  noncePayload,
  readIdentity,
  saPayload,
  type Decoded,
  type DecodedMessage,
  type DecodedPayload,
  type IdPayload,
  type Identity,
  type KePayload,
  type NoncePayload,
  type Payload,
  type SaPayload,
} from '../ike/codec/index.js';
import {
  checkDhPeerValue,
  computeDhSharedSecret,
  computeQuickModeHash2,
  computeQuickModeHash3,
  deriveQuickModeKeys,
  dhGroup,
  generateDhKeyPair,
  type IvChains,
  type QuickModeKeys,
} from '../ike/crypto/index.js';
import { RESPONDER_NONCE_LENGTH } from './aggressive1.js';
import { chooseEspProposal, type ChosenEspProposal, type EspRules } from './esp-proposal.js';
import type { Phase2Ids } from './policy.js';
import { openHashedMessage, sealHashedMessage, type EstablishedKeys, type SealedMessage } from './protected-exchange.js';

/** RFC 2409 §5: nonces are 8 to 256 bytes. */
const MIN_NONCE_LENGTH = 8;
const MAX_NONCE_LENGTH = 256;

export interface QuickMode1Parts {
  readonly sa: Decoded<SaPayload>;
  readonly nonce: Decoded<NoncePayload>;
  readonly ke?: Decoded<KePayload>;
  readonly ids?: { readonly initiator: Decoded<IdPayload>; readonly responder: Decoded<IdPayload> };
}

export type QuickMode1Reading =
  /** Not authenticated (clear, undecryptable, no HASH, wrong HASH(1)): nothing is answered. */
  | { readonly kind: 'unverified'; readonly detail: string }
  | { readonly kind: 'malformed'; readonly detail: string; readonly payloads: readonly DecodedPayload[] }
  | { readonly kind: 'no-proposal-chosen'; readonly detail: string; readonly payloads: readonly DecodedPayload[] }
  | { readonly kind: 'invalid-key-information'; readonly detail: string; readonly payloads: readonly DecodedPayload[] }
  | { readonly kind: 'invalid-id-information'; readonly detail: string; readonly payloads: readonly DecodedPayload[] }
  | {
      readonly kind: 'acceptable';
      readonly parts: QuickMode1Parts;
      readonly chosen: ChosenEspProposal;
      readonly payloads: readonly DecodedPayload[];
      /** The M-ID's chain advanced past message 1. */
      readonly ivChains: IvChains;
      readonly commitBit: boolean;
    };

/** Authenticates message 1 (HASH(1)) and decides what the RTX makes of it. */
export function readQuickMode1(keys: EstablishedKeys, phase1Chains: IvChains, message: DecodedMessage, rules: EspRules): QuickMode1Reading {
  const opened = openHashedMessage(keys, phase1Chains, message);
  if (!opened.ok) return { kind: 'unverified', detail: opened.detail };
  const { payloads } = opened;
  const all = opened.allPayloads;
  const first = <K extends DecodedPayload['type']>(type: K) => payloads.find((payload): payload is Extract<DecodedPayload, { type: K }> => payload.type === type);
  const sa = first('sa');
  const nonce = first('nonce');
  if (!sa || !nonce) return { kind: 'malformed', detail: `message 1 lacks ${[!sa && 'SA', !nonce && 'NONCE'].filter(Boolean).join(', ')}`, payloads: all };
  if (nonce.nonce.length < MIN_NONCE_LENGTH || nonce.nonce.length > MAX_NONCE_LENGTH) {
    return { kind: 'malformed', detail: `a nonce of ${nonce.nonce.length} bytes (RFC 2409: 8..256)`, payloads: all };
  }
  const ids = payloads.filter((payload): payload is Decoded<IdPayload> => payload.type === 'id');
  if (ids.length !== 0 && ids.length !== 2) return { kind: 'invalid-id-information', detail: `${ids.length} ID payloads (IDci and IDcr go together)`, payloads: all };
  const idProblem = rules.phase2Ids === undefined ? undefined : phase2IdProblem(rules.phase2Ids, ids);
  if (idProblem !== undefined) return { kind: 'invalid-id-information', detail: idProblem, payloads: all };
  const choice = chooseEspProposal(sa, rules);
  if (!choice.ok) return { kind: 'no-proposal-chosen', detail: choice.reason, payloads: all };
  const ke = first('ke');
  const { pfsGroup } = choice.chosen;
  if (pfsGroup === undefined && ke) return { kind: 'invalid-key-information', detail: 'a KE payload without a PFS group', payloads: all };
  if (pfsGroup !== undefined) {
    if (!ke) return { kind: 'invalid-key-information', detail: `PFS group ${pfsGroup} without a KE payload`, payloads: all };
    const problem = checkDhPeerValue(pfsGroup, ke.keyData);
    if (problem !== undefined) return { kind: 'invalid-key-information', detail: `KE of ${ke.keyData.length} bytes is ${problem} for group ${pfsGroup}`, payloads: all };
  }
  const [initiator, responder] = ids;
  return {
    kind: 'acceptable',
    parts: { sa, nonce, ...(ke ? { ke } : {}), ...(initiator && responder ? { ids: { initiator, responder } } : {}) },
    chosen: choice.chosen,
    payloads: all,
    ivChains: opened.ivChains,
    commitBit: (message.header.flags & IsakmpFlag.COMMIT) !== 0,
  };
}

export interface QuickModeAnswer {
  readonly message2: SealedMessage;
  /** Our inbound SPI: the initiator -> responder SA. */
  readonly responderSpi: Buffer;
  readonly initiatorNonce: Buffer;
  readonly responderNonce: Buffer;
  readonly keys: QuickModeKeys;
  readonly initiatorIdentity?: Identity;
  readonly responderIdentity?: Identity;
}

/**
 * Message 2 and the KEYMAT of both directions (RFC 2409 §5.5). Message 2 carries the chosen
 * proposal with its one transform as offered (lifetimes included: adopted) and our SPI, a
 * 16-byte nonce, our KE under PFS, and the IDs as received.
 */
export function respondToQuickMode1(
  keys: EstablishedKeys,
  reading: Extract<QuickMode1Reading, { kind: 'acceptable' }>,
  messageId: number,
  randomBytes: (length: number) => Buffer,
  spiInUse: (spi: Buffer) => boolean,
): QuickModeAnswer {
  const { parts, chosen } = reading;
  const responderSpi = newSpi(randomBytes, spiInUse);
  const responderNonce = randomBytes(RESPONDER_NONCE_LENGTH);
  let pfsSharedSecret: Buffer | undefined;
  let kePayloads: Payload[] = [];
  if (chosen.pfsGroup !== undefined && parts.ke) {
    const keyPair = generateDhKeyPair(chosen.pfsGroup, nonZero(randomBytes(dhGroup(chosen.pfsGroup).privateExponentLength)));
    const shared = computeDhSharedSecret(keyPair, parts.ke.keyData);
    if (!shared.ok) throw new Error(`KE accepted by readQuickMode1 but refused now: ${shared.problem}`);
    pfsSharedSecret = shared.sharedSecret;
    kePayloads = [kePayload(keyPair.publicValue)];
  }
  const idPayloads: Payload[] = parts.ids ? [echoId(parts.ids.initiator), echoId(parts.ids.responder)] : [];
  const payloads: Payload[] = [
    saPayload(
      [{ proposalNumber: chosen.proposal.proposalNumber, protocolId: ProtocolId.IPSEC_ESP, spi: responderSpi, transforms: [chosen.transform] }],
      { doi: parts.sa.doi, situation: parts.sa.situation },
    ),
    noncePayload(responderNonce),
    ...kePayloads,
    ...idPayloads,
  ];
  const initiatorNonce = Buffer.from(parts.nonce.nonce);
  const message2 = sealHashedMessage(keys, reading.ivChains, { exchangeType: ExchangeType.QUICK_MODE, messageId }, payloads, (after) =>
    computeQuickModeHash2(keys.protection.hash, keys.protection.skeyidA, messageId, initiatorNonce, after),
  );
  const quickModeKeys = deriveQuickModeKeys({
    hash: keys.protection.hash,
    skeyidD: keys.skeyidD,
    protocol: 'esp',
    encryption: chosen.encryption,
    integrity: chosen.integrity,
    initiatorSpi: chosen.initiatorSpi,
    responderSpi,
    initiatorNonce,
    responderNonce,
    ...(pfsSharedSecret ? { pfsSharedSecret } : {}),
  });
  const initiatorIdentity = parts.ids ? identityOf(parts.ids.initiator) : undefined;
  const responderIdentity = parts.ids ? identityOf(parts.ids.responder) : undefined;
  return {
    message2,
    responderSpi,
    initiatorNonce,
    responderNonce,
    keys: quickModeKeys,
    ...(initiatorIdentity ? { initiatorIdentity } : {}),
    ...(responderIdentity ? { responderIdentity } : {}),
  };
}

/** `payloads`: every payload, HASH(3) first (for the debug log). */
export type QuickMode3Reading = { readonly ok: true; readonly payloads: readonly DecodedPayload[] } | { readonly ok: false; readonly detail: string };

/** Message 3: HASH(3) = prf(SKEYID_a, 0 | M-ID | Ni_b | Nr_b), on the chain past message 2. */
export function readQuickMode3(keys: EstablishedKeys, chains: IvChains, message: DecodedMessage, answer: Pick<QuickModeAnswer, 'initiatorNonce' | 'responderNonce'>): QuickMode3Reading {
  const { messageId } = message.header;
  const opened = openHashedMessage(keys, chains, message, () =>
    computeQuickModeHash3(keys.protection.hash, keys.protection.skeyidA, messageId, answer.initiatorNonce, answer.responderNonce),
  );
  return opened.ok ? { ok: true, payloads: opened.allPayloads } : { ok: false, detail: opened.detail };
}

/** A random SPI that is not reserved (RFC 4303 §2.1: 1..255) and not one of ours already. */
function newSpi(randomBytes: (length: number) => Buffer, spiInUse: (spi: Buffer) => boolean): Buffer {
  for (;;) {
    const spi = Buffer.from(randomBytes(4));
    if (spi.readUInt32BE(0) >= 256 && !spiInUse(spi)) return spi;
  }
}

function echoId(id: Decoded<IdPayload>): IdPayload {
  return { type: 'id', idType: id.idType, protocolId: id.protocolId, port: id.port, data: Buffer.from(id.data) };
}

function identityOf(id: Decoded<IdPayload>): Identity | undefined {
  const identity = readIdentity(id.idType, id.data);
  return identity.ok ? identity.value : undefined;
}

function nonZero(bytes: Buffer): Buffer {
  return bytes.some((byte) => byte !== 0) ? bytes : Buffer.concat([bytes.subarray(0, -1), Buffer.of(1)]);
}

/**
 * With `ipsec ike remote id` / `local id` set, the peer's IDci must be our remote ID and its IDcr
 * our local ID, and a Quick Mode without IDs is refused (ASSUMED: the reference says only what
 * the router sends, §15.16/§15.19; refusing with INVALID-ID-INFORMATION is RFC 2407 §4.6.3's
 * notify for IDs the responder will not accept). A side left unset is not checked (ASSUMED).
 * Without either command any IDs are accepted, as before (the seed's clients send their own).
 */
function phase2IdProblem(expected: Phase2Ids, ids: readonly Decoded<IdPayload>[]): string | undefined {
  const [initiator, responder] = ids;
  if (initiator === undefined || responder === undefined) return 'no IDci/IDcr, and ipsec ike local id / remote id are set';
  const sides = [
    { name: 'IDci', wanted: expected.remote, got: initiator, setting: 'remote id' },
    { name: 'IDcr', wanted: expected.local, got: responder, setting: 'local id' },
  ];
  for (const side of sides) {
    if (side.wanted === undefined) continue;
    const got = identityOf(side.got);
    const gotText = got === undefined ? `ID type ${side.got.idType}` : formatIdentity(got);
    if (got === undefined || gotText !== formatIdentity(side.wanted)) return `${side.name} ${gotText} is not ipsec ike ${side.setting} ${formatIdentity(side.wanted)}`;
  }
  return undefined;
}
