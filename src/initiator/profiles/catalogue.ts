/** Every client profile by name. */
import { LIBRESWAN_4_10 } from './libreswan.js';
import { OPENSWAN_2_6_16, OPENSWAN_2_6_16_XAUTH_MODE_CFG } from './openswan.js';
import { PROFILE_NAMES, type ClientProfile, type ProfileName } from './profile.js';
import { RACOON_0_7_1, RACOON_0_7_1_MODE_CFG } from './racoon.js';
import { STRONGSWAN_5_9 } from './strongswan.js';
import { VPNC_0_5 } from './vpnc.js';
import { YMS_VPN1 } from './yms-vpn1.js';

export const CLIENT_PROFILES: Readonly<Record<ProfileName, ClientProfile>> = {
  'yms-vpn1': YMS_VPN1,
  'vpnc-0.5': VPNC_0_5,
  'racoon-0.7.1': RACOON_0_7_1,
  'racoon-0.7.1-mode-cfg': RACOON_0_7_1_MODE_CFG,
  'openswan-2.6.16': OPENSWAN_2_6_16,
  'openswan-2.6.16-xauth-mode-cfg': OPENSWAN_2_6_16_XAUTH_MODE_CFG,
  'strongswan-5.9': STRONGSWAN_5_9,
  'libreswan-4.10': LIBRESWAN_4_10,
};

export function isProfileName(name: string): name is ProfileName {
  return (PROFILE_NAMES as readonly string[]).includes(name);
}

export function profileNamed(name: string): ClientProfile | undefined {
  return isProfileName(name) ? CLIENT_PROFILES[name] : undefined;
}
