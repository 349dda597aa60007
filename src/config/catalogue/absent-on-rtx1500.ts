/**
 * Commands of the current command reference that RTX1500 Rev.8.03 does not have, with how we
 * know. Only commands with evidence are listed: the reference's "applicable models" column never
 * lists RTX1500 because it is the current edition, so it proves nothing on its own
 * (docs/catalogue.md explains the reasoning and what could not be settled).
 *
 * Evidence chain for the IKEv2 group: IKEv2 first shipped in RTX3000 Rev.9.00.50 (release note,
 * rtx-behaviour.md [S4b]), after the Rev.8.03 branch; the reference notes of these commands say
 * "本コマンドは IKEv2 でのみ有効であり、IKEv1 の動作に影響を与えない" (effective with IKEv2 only),
 * so a Rev.8.03 firmware cannot have them. INFERRED, not verified on hardware.
 */
const IKEV2_ONLY =
  'IKEv2-only command (reference note: "IKEv2 でのみ有効"); IKEv2 arrived with Rev.9.00.50, after Rev.8.03 (INFERRED)';

export const absentOnRtx1500: ReadonlyMap<string, string> = new Map([
  ['ipsec ike version', 'selects IKEv1 or IKEv2; IKEv2 arrived with Rev.9.00.50, after Rev.8.03 (rtx-behaviour.md §1, INFERRED)'],
  ['ipsec ike auth method', IKEV2_ONLY],
  ['ipsec ike pki file', IKEV2_ONLY],
  ['ipsec ike eap myname', IKEV2_ONLY],
  ['ipsec ike eap request', IKEV2_ONLY],
  ['ipsec ike eap send certreq', IKEV2_ONLY],
  ['ipsec ike proposal-limitation', IKEV2_ONLY],
  ['ipsec ike message-id-control', IKEV2_ONLY],
  ['ipsec ike child-exchange type', IKEV2_ONLY],
  ['ipsec ike negotiation receive', IKEV2_ONLY],
  [
    'pki certificate file',
    'certificate files serve only `ipsec ike pki file` (IKEv2 digital-signature / EAP-MD5 authentication); no IKEv1 use is documented (INFERRED, weaker)',
  ],
  ['pki crl file', 'CRL files serve only `ipsec ike pki file` (IKEv2); no IKEv1 use is documented (INFERRED, weaker)'],
  [
    'ipsec ike license-key',
    'VPN-client concurrent-connection licences are a recent feature (RTX830 needs Rev.15.02.15; rtx-behaviour.md §2 marks it absent on RTX1500, INFERRED)',
  ],
  ['ipsec ike license-key use', 'applies `ipsec ike license-key` licences (same evidence, INFERRED)'],
  [
    'ipsec ike auto received-id-route-add',
    'reference note: unusable on RTX1300 Rev.23.00.08 and earlier, listed only for the Rev.19/23 generation (vRX, RTX3510, RTX1300): added in 2023 (INFERRED)',
  ],
]);
