import { AuthMethod, Doi, GroupType, IsakmpTransformId, Phase1Attribute, ProtocolId } from '../ike/constants.js';
import { readPhase1Transform, type Proposal, type SaPayload, type Transform } from '../ike/codec/index.js';
import {
  dhGroupFromAttribute,
  isCipherAvailable,
  phase1CipherFromAttributes,
  phase1HashFromAttribute,
  type CipherId,
  type DhGroupId,
  type HashId,
} from '../ike/crypto/index.js';
import type { GatewayPolicy, IkeEncryptionSetting, IkeGroupSetting, IkeHashSetting } from './policy.js';

/** The Phase 1 suite the responder accepted, with the initiator's transform exactly as offered. */
export interface ChosenPhase1Proposal {
  readonly proposal: Proposal;
  readonly transform: Transform;
  readonly cipher: CipherId;
  readonly hash: HashId;
  readonly group: DhGroupId;
  /** 1 (pre-shared key) or 65001 (XAUTHInitPreShared: XAUTH follows, next issue). */
  readonly authMethod: typeof AuthMethod.PRE_SHARED_KEY | typeof AuthMethod.XAUTH_INIT_PRE_SHARED;
  /** The initiator's lifetime, adopted as is (§15.48: the responder "相手側から提案された寿命値に合わせる"). */
  readonly lifeSeconds?: number;
  readonly lifeKilobytes?: number;
}

export type ProposalChoice =
  | { readonly ok: true; readonly chosen: ChosenPhase1Proposal }
  | { readonly ok: false; readonly reason: string };

/**
 * Algorithms an RTX1500 Rev.8.03 can negotiate in Phase 1 (INFERRED, rtx-behaviour.md §6: AES-256
 * and SHA-256 came with Rev.9.00.50; modp1536/2048 support on the RTX1500 was NOT FOUND). Single
 * DES only when this process has OpenSSL's legacy provider. A gateway configured with an
 * algorithm outside this set (the config grammar takes the current reference's values) accepts
 * that algorithm too, so the configured suite always works.
 */
const RTX1500_CIPHERS: readonly CipherId[] = ['des-cbc', '3des-cbc', 'aes128-cbc'];
const RTX1500_HASHES: readonly HashId[] = ['md5', 'sha1'];
const RTX1500_GROUPS: readonly DhGroupId[] = [1, 2];

const ACCEPTED_AUTH_METHODS: readonly number[] = [AuthMethod.PRE_SHARED_KEY, AuthMethod.XAUTH_INIT_PRE_SHARED];

export function configuredCipher(setting: IkeEncryptionSetting): CipherId {
  return ({ '3des-cbc': '3des-cbc', 'des-cbc': 'des-cbc', 'aes-cbc': 'aes128-cbc', 'aes256-cbc': 'aes256-cbc' } as const)[setting];
}

/** SHA-384/512 have no IKEv1 implementation here: such a gateway falls back to what the peer offers. */
export function configuredHash(setting: IkeHashSetting): HashId | undefined {
  return ({ md5: 'md5', sha: 'sha1', sha256: 'sha256', sha384: undefined, sha512: undefined } as const)[setting];
}

export function configuredGroup(setting: IkeGroupSetting): DhGroupId {
  return ({ modp768: 1, modp1024: 2, modp1536: 5, modp2048: 14 } as const)[setting];
}

/**
 * Picks the first acceptable transform of the first acceptable proposal, in the initiator's
 * order (RFC 2408 §4.2: the responder selects one of the offered proposals).
 *
 * With `negotiate-strictly off` (the default) any supported encryption, hash and group is
 * accepted, "相手の提案するパラメータが自分の設定と異なる場合でも、そのパラメータをサポートしていれば、
 * それを受理する" (§15.8); with `on` they must equal the gateway's settings. Either way the
 * authentication method must be pre-shared key (1) or XAUTHInitPreShared (65001, §15.31), and the
 * lifetime is the initiator's. Nothing acceptable: NO-PROPOSAL-CHOSEN.
 */
export function choosePhase1Proposal(
  sa: Pick<SaPayload, 'doi' | 'proposals'>,
  gateway: GatewayPolicy,
  cipherAvailable: (cipher: CipherId) => boolean = isCipherAvailable,
): ProposalChoice {
  if (sa.doi !== Doi.IPSEC) return { ok: false, reason: `DOI ${sa.doi} is not the IPsec DOI` };
  const reasons: string[] = [];
  for (const proposal of sa.proposals) {
    if (proposal.protocolId !== ProtocolId.ISAKMP) {
      reasons.push(`proposal ${proposal.proposalNumber}: protocol ${proposal.protocolId} is not ISAKMP`);
      continue;
    }
    for (const transform of proposal.transforms) {
      const verdict = judgeTransform(transform, gateway, cipherAvailable);
      if (verdict.ok) return { ok: true, chosen: { proposal, transform, ...verdict.suite } };
      reasons.push(`transform ${transform.transformNumber}: ${verdict.reason}`);
    }
  }
  return { ok: false, reason: reasons.length === 0 ? 'no proposal offered' : reasons.join('; ') };
}

/** The chosen suite without the decoded proposal and transform (which only message 2 echoes). */
export type Phase1Suite = Omit<ChosenPhase1Proposal, 'proposal' | 'transform'>;

function judgeTransform(
  transform: Transform,
  gateway: GatewayPolicy,
  cipherAvailable: (cipher: CipherId) => boolean,
): { ok: true; suite: Phase1Suite } | { ok: false; reason: string } {
  if (transform.transformId !== IsakmpTransformId.KEY_IKE) return { ok: false, reason: `transform id ${transform.transformId} is not KEY_IKE` };
  const values = readPhase1Transform(transform);
  const unknown = values.unrecognized.find((a) => !(a.type === Phase1Attribute.GROUP_TYPE && a.format === 'tv' && a.value === GroupType.MODP));
  if (unknown) return { ok: false, reason: `attribute ${unknown.type} is not supported` };
  if (values.encryption === undefined || values.hash === undefined || values.group === undefined || values.authMethod === undefined) {
    return { ok: false, reason: 'encryption, hash, group or authentication method missing' };
  }
  const cipher = phase1CipherFromAttributes(values.encryption, values.keyLength);
  const hash = phase1HashFromAttribute(values.hash);
  const group = dhGroupFromAttribute(values.group);
  const wantedCipher = configuredCipher(gateway.encryption);
  const wantedHash = configuredHash(gateway.hash);
  const wantedGroup = configuredGroup(gateway.group);
  if (cipher === undefined || !(RTX1500_CIPHERS.includes(cipher) || cipher === wantedCipher) || !cipherAvailable(cipher)) {
    return { ok: false, reason: `encryption ${values.encryption}${values.keyLength ? `/${values.keyLength}` : ''} is not supported` };
  }
  if (hash === undefined || !(RTX1500_HASHES.includes(hash) || hash === wantedHash)) return { ok: false, reason: `hash ${values.hash} is not supported` };
  if (group === undefined || !(RTX1500_GROUPS.includes(group) || group === wantedGroup)) return { ok: false, reason: `group ${values.group} is not supported` };
  if (!ACCEPTED_AUTH_METHODS.includes(values.authMethod)) return { ok: false, reason: `authentication method ${values.authMethod} is not pre-shared key` };
  if (gateway.negotiateStrictly && (cipher !== wantedCipher || hash !== wantedHash || group !== wantedGroup)) {
    return { ok: false, reason: 'negotiate-strictly: differs from the configured encryption, hash or group' };
  }
  return {
    ok: true,
    suite: {
      cipher,
      hash,
      group,
      authMethod: values.authMethod as Phase1Suite['authMethod'],
      ...(values.lifeSeconds === undefined ? {} : { lifeSeconds: values.lifeSeconds }),
      ...(values.lifeKilobytes === undefined ? {} : { lifeKilobytes: values.lifeKilobytes }),
    },
  };
}
