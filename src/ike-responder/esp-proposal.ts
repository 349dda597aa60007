/**
 * Which ESP proposal of a Quick Mode message 1 the RTX takes (RFC 2408 §4.2, RFC 2407 §4.5):
 * the first acceptable transform of the first acceptable proposal, in the initiator's order.
 *
 * - The tunnel must have an `ipsec sa policy` for ESP (`ipsec tunnel P` -> `ipsec sa policy P
 *   GW esp ...`); without one the router has no IPsec SA to make (ASSUMED: NO-PROPOSAL-CHOSEN).
 * - `ipsec ike negotiate-strictly GW off` (default): any ESP algorithm the RTX1500 supports is
 *   accepted, as in Phase 1 (§15.11 "相手の提案するパラメータ ... をサポートしていれば、それを受理
 *   する"); `on`: exactly the policy's encryption and authentication. Supported (INFERRED as for
 *   Phase 1, rtx-behaviour.md §6): 3des-cbc, des-cbc, aes-cbc 128 x sha-hmac, md5-hmac, plus the
 *   policy's own algorithms (aes256-cbc when the policy says so).
 * - Encapsulation: tunnel (1); UDP-encapsulated tunnel (3, or the drafts' 61443) only when NAT-T
 *   was negotiated in Phase 1 (RFC 3947 §5.1). Transport modes are refused: the RTX's remote-access
 *   SAs belong to a tunnel interface.
 * - PFS follows the initiator (§15.26: the responder "follows the peer"): a Group Description is
 *   accepted when it is a group the RTX1500 has (modp768, modp1024) or the gateway's Phase 2
 *   group; without one, no PFS.
 * - Lifetimes are the initiator's (§15.48: the responder adopts the proposed values); absent,
 *   `ipsec ike duration ipsec-sa` applies.
 * - A proposal number shared by several proposals means "all of them together" (ESP + IPCOMP):
 *   only a lone ESP proposal is acceptable.
 */
import { EncapsulationMode, ProtocolId } from '../ike/constants.js';
import { readIpsecTransform, type Proposal, type SaPayload, type Transform } from '../ike/codec/index.js';
import {
  dhGroupFromAttribute,
  espEncryptionFromTransform,
  espIntegrityFromAttribute,
  isCipherAvailable,
  type CipherId,
  type DhGroupId,
} from '../ike/crypto/index.js';
import type { EspAuthenticationSetting, EspEncryptionSetting, Phase2Ids, SaPolicy } from './policy.js';

export type EspIntegrityChoice = 'hmac-sha1-96' | 'hmac-md5-96';

export interface EspRules {
  readonly saPolicy: SaPolicy;
  readonly negotiateStrictly: boolean;
  /** Phase 1 negotiated NAT-T: UDP-encapsulated tunnel mode may be proposed. */
  readonly natTraversal: boolean;
  /** The gateway's Phase 2 group (`ipsec ike group GW G1 G2`). */
  readonly phase2Group: DhGroupId;
  /** `ipsec ike duration ipsec-sa GW`: when the initiator proposes no lifetime. */
  readonly defaultLifeSeconds: number;
  readonly cipherAvailable?: (cipher: CipherId) => boolean;
  /** `ipsec ike local id` / `remote id`: the IDcr / IDci a peer's Quick Mode must carry (quick-mode.ts). */
  readonly phase2Ids?: Phase2Ids;
}

export interface ChosenEspProposal {
  /** As received: message 2 returns this proposal with the one transform and our SPI. */
  readonly proposal: Proposal;
  readonly transform: Transform;
  /** The initiator's inbound SPI: the responder -> initiator SA. */
  readonly initiatorSpi: Buffer;
  readonly encryption: CipherId;
  readonly integrity: EspIntegrityChoice;
  readonly encapsulationMode: number;
  readonly udpEncapsulated: boolean;
  readonly pfsGroup?: DhGroupId;
  readonly lifeSeconds: number;
  readonly lifeKilobytes?: number;
}

export type EspChoice = { readonly ok: true; readonly chosen: ChosenEspProposal } | { readonly ok: false; readonly reason: string };

const RTX1500_ESP_CIPHERS: readonly CipherId[] = ['3des-cbc', 'des-cbc', 'aes128-cbc'];
const RTX1500_ESP_INTEGRITY: readonly EspIntegrityChoice[] = ['hmac-sha1-96', 'hmac-md5-96'];
const RTX1500_GROUPS: readonly DhGroupId[] = [1, 2];

export function policyCipher(setting: EspEncryptionSetting | undefined): CipherId | undefined {
  switch (setting) {
    case '3des-cbc':
      return '3des-cbc';
    case 'des-cbc':
      return 'des-cbc';
    // The current reference's default when `ipsec sa policy` names none (Rev.8.03's: NOT FOUND).
    case 'aes-cbc':
    case undefined:
      return 'aes128-cbc';
    case 'aes256-cbc':
      return 'aes256-cbc';
    case 'null':
      return undefined;
  }
}

export function policyIntegrity(setting: EspAuthenticationSetting | undefined): EspIntegrityChoice | undefined {
  switch (setting) {
    case 'sha-hmac':
      return 'hmac-sha1-96';
    case 'md5-hmac':
      return 'hmac-md5-96';
    default:
      return undefined;
  }
}

export function chooseEspProposal(sa: Pick<SaPayload, 'proposals'>, rules: EspRules): EspChoice {
  if (rules.saPolicy.protocol !== 'esp') return { ok: false, reason: `the tunnel's SA policy ${rules.saPolicy.policyId} is ${rules.saPolicy.protocol}, not esp` };
  const byNumber = new Map<number, Proposal[]>();
  for (const proposal of sa.proposals) byNumber.set(proposal.proposalNumber, [...(byNumber.get(proposal.proposalNumber) ?? []), proposal]);
  const reasons: string[] = [];
  for (const [number, group] of byNumber) {
    const [proposal] = group;
    if (group.length !== 1 || proposal === undefined) {
      reasons.push(`proposal ${number}: ${group.length} protocols together`);
      continue;
    }
    if (proposal.protocolId !== ProtocolId.IPSEC_ESP) {
      reasons.push(`proposal ${number}: protocol ${proposal.protocolId} is not ESP`);
      continue;
    }
    if (proposal.spi.length !== 4 || proposal.spi.readUInt32BE(0) < 256) {
      reasons.push(`proposal ${number}: SPI 0x${proposal.spi.toString('hex')} is not a usable ESP SPI`);
      continue;
    }
    for (const transform of proposal.transforms) {
      const verdict = judgeTransform(transform, rules);
      if (typeof verdict === 'string') {
        reasons.push(`proposal ${number} transform ${transform.transformNumber}: ${verdict}`);
        continue;
      }
      return { ok: true, chosen: { proposal, transform, initiatorSpi: Buffer.from(proposal.spi), ...verdict } };
    }
  }
  return { ok: false, reason: reasons.length === 0 ? 'no proposal offered' : reasons.join('; ') };
}

type Suite = Omit<ChosenEspProposal, 'proposal' | 'transform' | 'initiatorSpi'>;

function judgeTransform(transform: Transform, rules: EspRules): Suite | string {
  const values = readIpsecTransform(transform);
  const unknown = values.unrecognized[0];
  if (unknown !== undefined) return `attribute ${unknown.type} is not supported`;
  const encryption = espEncryptionFromTransform(transform.transformId, values.keyLength);
  const integrity = espIntegrityFromAttribute(values.authAlgorithm);
  const wantedCipher = policyCipher(rules.saPolicy.encryption);
  const wantedIntegrity = policyIntegrity(rules.saPolicy.authentication);
  const cipherAvailable = rules.cipherAvailable ?? isCipherAvailable;
  if (encryption === undefined || encryption === 'null' || !(RTX1500_ESP_CIPHERS.includes(encryption) || encryption === wantedCipher) || !cipherAvailable(encryption)) {
    return `ESP transform ${transform.transformId}${values.keyLength ? `/${values.keyLength}` : ''} is not supported`;
  }
  if (integrity === undefined || integrity === 'none' || integrity === 'hmac-sha256-128' || !RTX1500_ESP_INTEGRITY.includes(integrity)) {
    return `authentication algorithm ${values.authAlgorithm ?? 'none'} is not supported`;
  }
  if (rules.negotiateStrictly && (encryption !== wantedCipher || integrity !== wantedIntegrity)) {
    return 'negotiate-strictly: differs from the SA policy';
  }
  // RFC 2407 §4.5 leaves an absent mode host-dependent: the RTX's is tunnel (ASSUMED).
  const mode = values.encapsulationMode ?? EncapsulationMode.TUNNEL;
  const udp = mode === EncapsulationMode.UDP_ENCAPSULATED_TUNNEL || mode === EncapsulationMode.UDP_ENCAPSULATED_TUNNEL_DRAFT;
  if (mode !== EncapsulationMode.TUNNEL && !(udp && rules.natTraversal)) {
    return `encapsulation mode ${mode} is not ${rules.natTraversal ? 'tunnel or UDP-encapsulated tunnel' : 'tunnel'}`;
  }
  let pfsGroup: DhGroupId | undefined;
  if (values.group !== undefined) {
    pfsGroup = dhGroupFromAttribute(values.group);
    if (pfsGroup === undefined || !(RTX1500_GROUPS.includes(pfsGroup) || pfsGroup === rules.phase2Group)) return `PFS group ${values.group} is not supported`;
  }
  return {
    encryption,
    integrity,
    encapsulationMode: mode,
    udpEncapsulated: udp,
    ...(pfsGroup === undefined ? {} : { pfsGroup }),
    lifeSeconds: values.lifeSeconds ?? rules.defaultLifeSeconds,
    ...(values.lifeKilobytes === undefined ? {} : { lifeKilobytes: values.lifeKilobytes }),
  };
}
