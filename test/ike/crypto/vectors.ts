// Test vectors of /work/shared/reference/ikev1-notes.md §4, as hex. Shared by the keying tests.

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');

/** §4a: NIST ACVP IKEv1 PSK KDF vector (SHA-1), as carried by libreswan's CAVP tests. */
export const acvp = {
  initiatorCookie: hex('83d374c30b3b5082'),
  responderCookie: hex('5afc0da06c728029'),
  initiatorNonce: hex('b9a2d0e922dc66dd'),
  responderNonce: hex('2130166863b5ddef'),
  sharedSecret: hex('739003ba2c11c982946c65e26acf661fbf8ebb78011a9fead79efa12fe3e71cc'),
  preSharedKey: hex('75'),
  skeyid: hex('62b04d112877e442fc3282fc37c076997718a0b9'),
  skeyidD: hex('369e5aad1bdb5faf6a3d929d500cdc236710a9ab'),
  skeyidA: hex('588e957d8d790d093b3a39f121473473af78e9bb'),
  skeyidE: hex('cd74b0c048219db81384d3fda8f6cda51e398a2b'),
  // Appendix B applied to that SKEYID_e (derived in the notes, same algorithm as strongSwan).
  ka3des: hex('9ce3201d5c6cf897a6cba863e68c634d8d63805d1f20e30b'),
  kaAes128: hex('cd74b0c048219db81384d3fda8f6cda5'),
  kaAes256: hex('9ce3201d5c6cf897a6cba863e68c634d8d63805d1f20e30bf6884e2a4ee9fc8a'),
};

/**
 * §4b: a live strongSwan 5.9.8 exchange, AM + XAUTH + push + QM, 3DES / SHA1 / MODP1024,
 * PSK "grouppsk", client keyid:vpngroup -> server 10.99.0.1.
 */
export const strongswan = {
  preSharedKey: Buffer.from('grouppsk'),
  initiatorCookie: hex('8f737ebfa5534b67'),
  responderCookie: hex('871375693403d4d2'),
  initiatorNonce: hex('6d711840972b89cea5f5789ddaa1b3a34d848682a58cf5e6cfedb2ce48d3fb05'),
  responderNonce: hex('a936e9a7d206222c044c77f4e772071e1fdce57869c35e4b8e4e797246f90d1a'),
  initiatorPublicValue: hex(`
    cc87e6a7fb9bdf05b8958bd9fcc1b152c422c48dcd0302cd728b93cc02aa4b24eaae128f13d0e30556c826335ba4d7fe
    12f6bde3c1dd0981a7d15166202f5dd0a562867cadf58d96d125f633eef8a80870a7c9fcc8bd8078a27036bb8650edb7
    993edfdd038ebff46ab1c68f0bfa238ecffbed512efd04bb0dc12e9cee9df6e9`),
  responderPublicValue: hex(`
    249fe4d292a9fbcfb8013bfa25383448d066bde54d48ae98f0680a0d0fc07524ccada308da772f9ba9004680028daa1c
    cc63f64696029152e1308bcc12359e3cb70de7b9b5dd418d88be0ea62399a1e18ed6b0b37ee9c3fb23392008b87cb2fc
    fb1e8c05bcde6cb609384d9b7af11fe16b0a2a77449587575ca8a36bc754b44e`),
  sharedSecret: hex(`
    8365c4cf6e461f8b3f3c131da7d44e7b04b29fa1cc0f72a0ca10e5463792864169954b7746592ed1053b810ad8b1627d
    3e0a8cb58942eabc0cb6aba8521af9598cec595a79010dc7e06246ecb5c144494f86a4dfbb74898cf8f9d863dba1f359
    8c2ae991f0b9cf72b7a9d514eed9b196627d134eccc99707f2535dd595ccc5f7`),
  initiatorSaBody: hex('0000000100000001000000280101000100000020010100008001000580020002800400028003fde9800b0001800c3de0'),
  initiatorIdBody: hex('0b00000076706e67726f7570'),
  responderIdBody: hex('010000000a630001'),

  skeyid: hex('ed78467a426ef527361b88b53837f39dd871aca0'),
  skeyidD: hex('bd09c0d255c3259950a49b586da071410611b78a'),
  skeyidA: hex('896c6852a8a9462863335c8fce22f1371c5c67ea'),
  skeyidE: hex('486bc5c17adaa2d9578e2332bf7c3a494a7a27d4'),
  encryptionKey: hex('6319a7cd08f613f1373e2c162d294cb0872d8760d890b3a2'),
  initialIv: hex('f7c61c58cfef0af8'),
  hashR: hex('7aceba5231277b38809e51a51947a916e3d96b8e'),
  hashI: hex('1c25c6b1cbf1d26adbb6f0cea09c7f59d0c2f103'),
  /** The last ciphertext block of the encrypted AM message 3. */
  lastPhase1Block: hex('c1b1b2dc3ea20695'),
  xauthRequestMessageId: 0xcc65a872,
  xauthRequestIv: hex('d9dee6929002e827'),

  quickMode: {
    // The notes give each KEYMAT seed as protocol | SPI | Ni2 | Nr2 in one string.
    initiatorSeed: hex(`
      03c18cf31303b2a9538d7deff753c142c0635d57375aa09b11ae8a73e690a52056c556040ca6cc410b0b7ccc51c7feac
      b046d3c2374c7d8f5aba46f1f6aec90aa2458db063`),
    responderSpi: hex('c18cf313'),
    initiatorSpi: hex('cdf50aa8'),
    initiatorToResponder: {
      encryptionKey: hex('41d60cde51cc52d4b54ae0e7d34ccdeca6e9d997acf36d13'),
      integrityKey: hex('58fdca4e35f1696e7f348b7e1307395cd483fea0'),
    },
    responderToInitiator: {
      encryptionKey: hex('b205f9d03df13aa1f5e0f9f4acc81b7390852365125d4b9d'),
      integrityKey: hex('4d3d2221e704bb76cfd233b50eb472bc39279eda'),
    },
    hash1: hex('67684c757258984ff55c8ca4657ead331e9d4ac3'),
    hash2: hex('2e850c4e0af14a043f567b9eaa487ffb34c5d78f'),
  },
};

/** The Quick Mode nonces of §4b, recovered from the seed (protocol(1) | SPI(4) | Ni2 | Nr2). */
export function strongswanQuickModeNonces(): { initiatorNonce: Buffer; responderNonce: Buffer } {
  const nonces = strongswan.quickMode.initiatorSeed.subarray(5);
  if (nonces.length % 2 !== 0) throw new Error('the seed does not hold two equal-length nonces');
  return { initiatorNonce: nonces.subarray(0, nonces.length / 2), responderNonce: nonces.subarray(nonces.length / 2) };
}
