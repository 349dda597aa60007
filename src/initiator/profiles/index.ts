/**
 * Client profiles: the bundled initiator's knobs set as a real client sets them, each behaviour
 * with its source (docs/matrix.md).
 *
 *   const profile = profileNamed('racoon-0.7.1')!
 *   const built = profileTunnel(profile, SEED_CLIENT_INPUTS, { pfs: 'off' })   // TunnelOptions
 *   if (built.ok) await runTunnelSession({ gateway, tunnel: built.options })
 */
export {
  PROFILE_NAMES,
  SEED_CLIENT_INPUTS,
  SEED_PROTECTED_NETWORK,
  type ClientProfile,
  type DocumentedBehaviour,
  type EvidenceStatus,
  type ProfileInputs,
  type ProfileName,
  type UnexpressedBehaviour,
} from './profile.js';
export { CLIENT_PROFILES, isProfileName, profileNamed } from './catalogue.js';
export { profileTunnel, type OverrideResult, type ProfileOverrides } from './overrides.js';
export { parseDhGroup, parseEspSuite, parseIkeSuite, type EspSuite, type IkeSuite, type SuiteResult } from './suites.js';
export { OPENSWAN_2_6_16, OPENSWAN_2_6_16_XAUTH_MODE_CFG, OPENSWAN_PUSH_MODE_CFG, OPENSWAN_XAUTH } from './openswan.js';
export { RACOON_0_7_1, RACOON_0_7_1_MODE_CFG, RACOON_HAND_SET_INNER_ADDRESS } from './racoon.js';
export { STRONGSWAN_5_9 } from './strongswan.js';
export { LIBRESWAN_4_10, LIBRESWAN_PUSH_MODE_CFG } from './libreswan.js';
export { VPNC_0_5, VPNC_LIFE_SECONDS, vpncEspProposals, vpncPhase1Proposals } from './vpnc.js';
export { DRAFT_XAUTH, YMS_VPN1 } from './yms-vpn1.js';
