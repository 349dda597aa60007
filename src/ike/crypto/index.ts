// IKEv1 keying and crypto: pure functions over raw bytes (payload bodies as they went over the
// wire). Nothing here knows about sockets, clocks, the ISAKMP codec or RTX behaviour.
export { HASH_LENGTH, hash, prf, type HashId } from './prf.js';
export { createRandomPool } from './random-pool.js';
export {
  DH_GROUP_IDS,
  checkDhPeerValue,
  computeDhSharedSecret,
  dhGroup,
  generateDhKeyPair,
  isDhGroupId,
  type DhGroup,
  type DhGroupId,
  type DhKeyPair,
  type DhPeerValueProblem,
  type DhSharedSecretResult,
} from './dh.js';
export {
  CIPHER_SPECS,
  CipherUnavailableError,
  ZERO_PADDING_OR_NONE,
  ZERO_PADDING,
  cipherSpec,
  decryptCbc,
  encryptCbc,
  isCipherAvailable,
  lastCipherBlock,
  padToBlockSize,
  paddingLength,
  type CbcDecryptResult,
  type CipherId,
  type CipherSpec,
  type PaddingPolicy,
} from './cipher.js';
export { CbcOpenStream, CbcSealStream } from './cbc-stream.js';
export { derivePhase1Keys, deriveSkeyid, expandEncryptionKey, type Phase1KeyInputs, type Phase1Keys } from './phase1-keys.js';
export {
  computeHashI,
  computeHashR,
  computeMessageHash,
  computeNatDiscoveryHash,
  computeQuickModeHash1,
  computeQuickModeHash2,
  computeQuickModeHash3,
  messageIdBytes,
  type Phase1AuthContext,
} from './hashes.js';
export {
  advanceIvChains,
  computeInitialIv,
  computeMessageIdIv,
  createIvChains,
  endIvExchange,
  ivForMessage,
  type IvChains,
  type Phase1BlockSource,
  type Phase1Iv,
  withoutExchanges,
} from './iv-chain.js';
export {
  decryptMessageBody,
  encryptMessageBody,
  type DecryptedMessageBody,
  type EncryptedMessageBody,
  type IsakmpSaCipher,
} from './message-encryption.js';
export {
  ESP_INTEGRITY_KEY_LENGTH,
  deriveKeymat,
  deriveQuickModeKeys,
  espEncryptionKeyLength,
  type EspEncryptionId,
  type EspIntegrityId,
  type KeymatSeed,
  type QuickModeKeyInputs,
  type QuickModeKeys,
  type SaDirectionKeys,
} from './keymat.js';
export {
  dhGroupFromAttribute,
  espEncryptionFromTransform,
  espIntegrityFromAttribute,
  phase1CipherFromAttributes,
  phase1HashFromAttribute,
} from './algorithms.js';
