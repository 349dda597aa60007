/**
 * The interop lab: real IKEv1 peers (strongSwan 5.9, vpnc 0.5.3) in network namespaces, packet
 * captures and tshark decoding, for tests that run the emulator or the bundled initiator against
 * implementations not written here. Needs root and the Debian packages of scripts/install-peers.sh.
 */
export { Lab, LabNode, withLab, cleanupStaleLabs, LAB_PREFIX, type LabOptions } from './lab.js';
export { NetNamespace, type Ipv4Address, type SpawnInNamespaceOptions } from './netns.js';
export { Daemon, CommandError, runCommand, runChecked, assertSucceeded, type CommandResult, type RunOptions, type DaemonExit, type StopOptions } from './process.js';
export { interopSkipReason, assertLabPrerequisites, missingLabPrerequisites } from './prerequisites.js';
export { Charon, startStrongSwanClient, startStrongSwanResponder, type CharonTuning, type InitiateOptions } from './strongswan.js';
export {
  renderStrongswanConf,
  renderClientSwanctlConf,
  renderResponderSwanctlConf,
  QUICK_RETRANSMIT,
  LAB_CHARON_PLUGINS,
  type CharonSettings,
  type RetransmitSettings,
  type StrongSwanClientOptions,
  type StrongSwanResponderOptions,
  type XauthCredentials,
} from './strongswan-config.js';
export { charonHexDumps, ikev1EncryptionKeys, espSaKeys } from './charon-keys.js';
export { parseListSas, parsePrettyVici, type IkeSaState, type ChildSaState } from './swanctl-pretty.js';
export { startVpnc, renderVpncConf, VpncSession, VPNC_MAIN_LOOP, type VpncOptions, type VpncScriptCall, type VpncStartOptions } from './vpnc.js';
export { rtxlabArgv, RTXLAB_BIN } from './rtxlab.js';
export { PacketCapture, type CaptureOptions } from './capture.js';
export {
  decodeSummary,
  decodeVerbose,
  readFields,
  expertItems,
  decoderComplaints,
  tsharkDecryptionArgs,
  parseEspSaTable,
  parseIkev1DecryptionTable,
  runTshark,
  type TsharkDecryption,
  type Ikev1DecryptionKey,
  type EspSaKey,
  type ExpertItem,
} from './tshark.js';
