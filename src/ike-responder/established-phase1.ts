/**
 * What an established ISAKMP SA keeps of its key exchange, in Aggressive Mode and Main Mode alike:
 * what its Informationals, its Phase 2 exchanges (the responder hands them the keys, the suite,
 * the gateway) and the state views read. The rest served the handshake only and goes when the SA
 * is established: the DH key pair and our nonce (g^xy and SKEYID are made), SKEYID and SKEYID_e
 * (Ka and SKEYID_a/d are derived from them), the HASH_I/HASH_R context and IDii (the peer is
 * authenticated), the pre-shared key, the decoded proposal and transform (echoed in message 2):
 * about 3 KB of heap per tunnel (bench/tunnel-memory.ts).
 */
import type { Phase1Keys } from '../ike/crypto/index.js';
import type { NatTraversalVariant } from './nat-traversal.js';
import type { GatewayPolicy } from './policy.js';
import type { ChosenPhase1Proposal, Phase1Suite } from './proposal.js';

export interface EstablishedPhase1 {
  readonly stage: 'established';
  readonly gateway: GatewayPolicy;
  readonly chosen: Phase1Suite;
  readonly natTraversal?: NatTraversalVariant;
  /** The initiator sent the DPD Vendor ID (RFC 3706 §5.1: only then may we send it R-U-THERE). */
  readonly peerAnnouncedDpd: boolean;
  readonly keys: Pick<Phase1Keys, 'skeyidD' | 'skeyidA' | 'encryptionKey'>;
}

/** The lasting part of a whole negotiation, for the SA it established. */
export function establishedPhase1(negotiation: {
  readonly gateway: GatewayPolicy;
  readonly chosen: ChosenPhase1Proposal;
  readonly natTraversal?: NatTraversalVariant;
  readonly peerAnnouncedDpd: boolean;
  readonly keys: Phase1Keys;
}): EstablishedPhase1 {
  const { gateway, chosen, natTraversal, peerAnnouncedDpd, keys } = negotiation;
  return {
    stage: 'established',
    gateway,
    chosen: {
      cipher: chosen.cipher,
      hash: chosen.hash,
      group: chosen.group,
      authMethod: chosen.authMethod,
      ...(chosen.lifeSeconds === undefined ? {} : { lifeSeconds: chosen.lifeSeconds }),
      ...(chosen.lifeKilobytes === undefined ? {} : { lifeKilobytes: chosen.lifeKilobytes }),
    },
    ...(natTraversal ? { natTraversal } : {}),
    peerAnnouncedDpd,
    keys: { skeyidD: keys.skeyidD, skeyidA: keys.skeyidA, encryptionKey: keys.encryptionKey },
  };
}
