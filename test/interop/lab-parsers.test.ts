// The lab's readers of tool output, checked without root on text in the tools' formats.
import { describe, expect, it } from 'vitest';
import { charonHexDumps, espSaKeys, ikev1EncryptionKeys } from './lab/charon-keys.js';
import { staleLabNames } from './lab/lab.js';
import { parseIpAddressJson } from './lab/netns.js';
import { parseListSas } from './lab/swanctl-pretty.js';
import { expertItemsFromRows, parseEspSaTable, parseFieldRows } from './lab/tshark.js';
import { createEspSa, formatEspSaRecord } from '../../src/esp/index.js';
import { parseEnvLines } from './lab/vpnc.js';

const LIST_SAS = `list-sa event {
  rtx {
    uniqueid = 2
    version = 1
    state = ESTABLISHED
    local-host = 192.0.2.132
    local-port = 4500
    local-id = myid
    remote-host = 192.0.2.254
    remote-port = 4500
    remote-id = 192.0.2.254
    initiator = yes
    initiator-spi = 8dfe601fd77647c3
    responder-spi = d70089f1e713702b
    encr-alg = 3DES_CBC
    integ-alg = HMAC_SHA1_96
    prf-alg = PRF_HMAC_SHA1
    dh-group = MODP_1024
    local-vips = [
      10.1.1.110
    ]
    child-sas {
      rtx-2 {
        name = rtx
        state = INSTALLED
        mode = TUNNEL
        protocol = ESP
        encap = yes
        spi-in = cc6a23a6
        spi-out = 5d2f51d7
        encr-alg = 3DES_CBC
        integ-alg = HMAC_SHA1_96
        packets-in = 2
        packets-out = 3
        local-ts = [
          10.1.1.110/32
        ]
        remote-ts = [
          10.1.1.0/24
        ]
      }
    }
  }
}
list-sas reply {
}
`;

describe('swanctl --list-sas --pretty', () => {
  it('yields each IKE SA with its identities, algorithms, virtual IPs and CHILD_SAs', () => {
    const [sa, ...rest] = parseListSas(LIST_SAS);
    expect(rest).toEqual([]);
    expect(sa).toMatchObject({
      name: 'rtx', state: 'ESTABLISHED', version: 1, initiator: true, localHost: '192.0.2.132', localPort: 4500,
      localId: 'myid', remoteId: '192.0.2.254', initiatorSpi: '8dfe601fd77647c3', encryption: '3DES_CBC',
      dhGroup: 'MODP_1024', localVips: ['10.1.1.110'], remoteVips: [],
    });
    expect(sa!.childSas).toEqual([expect.objectContaining({
      name: 'rtx', state: 'INSTALLED', encap: true, spiIn: 'cc6a23a6', packetsIn: 2, packetsOut: 3,
      localTs: ['10.1.1.110/32'], remoteTs: ['10.1.1.0/24'],
    })]);
  });

  it('yields nothing when no SA exists, and rejects text it does not understand', () => {
    expect(parseListSas('list-sas reply {\n}\n')).toEqual([]);
    expect(() => parseListSas('list-sa event {\n  what is this\n}\n')).toThrow(/not understood/);
  });
});

// Shaped like charon's file log at ike/chd level 4 (time_format %H:%M:%S); the bytes are made up.
const KEY_LOG = [
  '10:00:00 16[IKE] encryption key Ka => 24 bytes @ 0x5600',
  '10:00:00 16[IKE]    0: 92 30 01 B2 92 B0 68 35 B8 2C 33 FD 4E B8 A4 3B  .0....h5.,3.N..;',
  '10:00:00 16[IKE]   16: 33 5A 95 6E C2 5C F4 0B                          3Z.n.\\..',
  '10:00:01 08[CHD]   using 3DES_CBC for encryption',
  '10:00:01 08[CHD]   using HMAC_SHA1_96 for integrity',
  '10:00:01 08[CHD] initiator SA seed => 5 bytes @ 0x7ffa',
  '10:00:01 08[CHD]    0: 03 FB C0 C7 52                                   ....R',
  '10:00:01 08[CHD] responder SA seed => 5 bytes @ 0x7ffa',
  '10:00:01 08[CHD]    0: 03 03 2E 94 D4                                   .....',
  '10:00:01 08[CHD] encryption initiator key => 4 bytes @ 0x7ffa',
  '10:00:01 08[CHD]    0: 54 D2 FC 7B                                      T..{',
  '10:00:01 08[CHD] encryption responder key => 4 bytes @ 0x7ffa',
  '10:00:01 08[CHD]    0: 68 91 21 8D                                      h.!.',
  '10:00:01 08[CHD] integrity initiator key => 2 bytes @ 0x7ffa',
  '10:00:01 08[CHD]    0: 09 FB                                            ..',
  '10:00:01 08[CHD] integrity responder key => 2 bytes @ 0x7ffa',
  '10:00:01 08[CHD]    0: 20 09                                             .',
  '10:00:01 08[CHD] adding inbound ESP SA',
  '10:00:01 08[CHD]   SPI 0x032e94d4, src 192.0.2.254 dst 192.0.2.132',
  '10:00:01 08[CHD] adding outbound ESP SA',
  '10:00:01 08[CHD]   SPI 0xfbc0c752, src 192.0.2.132 dst 192.0.2.254',
].join('\n');

describe('keys from charon\'s log', () => {
  it('reads hex dumps across lines, without the ASCII column', () => {
    expect(ikev1EncryptionKeys(KEY_LOG).map((key) => key.toString('hex'))).toEqual(['923001b292b06835b82c33fd4eb8a43b335a956ec25cf40b']);
    expect(charonHexDumps(KEY_LOG, 'no such label')).toEqual([]);
  });

  it('ties initiator keys to the SPI in the initiator seed, and that SPI to its addresses', () => {
    expect(espSaKeys(KEY_LOG)).toEqual([
      { source: '192.0.2.132', destination: '192.0.2.254', spi: 'fbc0c752', encryption: 'TripleDES-CBC [RFC2451]', encryptionKey: '54d2fc7b', authentication: 'HMAC-SHA-1-96 [RFC2404]', authenticationKey: '09fb' },
      { source: '192.0.2.254', destination: '192.0.2.132', spi: '032e94d4', encryption: 'TripleDES-CBC [RFC2451]', encryptionKey: '6891218d', authentication: 'HMAC-SHA-1-96 [RFC2404]', authenticationKey: '2009' },
    ]);
  });

  it('complains about a truncated dump instead of returning a short key', () => {
    const truncated = KEY_LOG.split('\n').filter((line) => !line.includes('   16: 33 5A')).join('\n');
    expect(() => ikev1EncryptionKeys(truncated)).toThrow(/16 of 24 bytes/);
  });
});

describe('tshark field output', () => {
  it('splits frames into fields and repeated fields into their occurrences', () => {
    const rows = parseFieldRows('1\t6\t1\x1e2\n2\t\t\n', ['frame.number', 'isakmp.exchangetype', 'isakmp.cfg.attr.type']);
    expect(rows).toEqual([
      { 'frame.number': ['1'], 'isakmp.exchangetype': ['6'], 'isakmp.cfg.attr.type': ['1', '2'] },
      { 'frame.number': ['2'], 'isakmp.exchangetype': [], 'isakmp.cfg.attr.type': [] },
    ]);
  });

  it('names expert severities and groups, and reports a failed ESP ICV as a checksum error', () => {
    const items = expertItemsFromRows([
      { 'frame.number': ['1'], '_ws.expert.severity': ['8388608'], '_ws.expert.group': ['117440512'], '_ws.expert.message': ['Malformed Packet (Exception occurred)'], 'esp.icv_bad': [] },
      { 'frame.number': ['7'], '_ws.expert.severity': ['4194304'], '_ws.expert.group': ['150994944'], '_ws.expert.message': ['a note'], 'esp.icv_bad': ['1'] },
    ]);
    expect(items).toEqual([
      { frame: 1, severity: 'error', group: 'malformed', message: 'Malformed Packet (Exception occurred)' },
      { frame: 7, severity: 'note', group: 'protocol', message: 'a note' },
      { frame: 7, severity: 'error', group: 'checksum', message: 'ESP ICV does not match (esp.icv_bad)' },
    ]);
  });
});

describe('other tool output', () => {
  it('reads IPv4 addresses from ip -json address show', () => {
    const json = JSON.stringify([
      { ifname: 'lo', addr_info: [{ family: 'inet', local: '127.0.0.1', prefixlen: 8 }, { family: 'inet6', local: '::1', prefixlen: 128 }] },
      { ifname: 'ipsec0', addr_info: [{ family: 'inet', local: '10.1.1.110', prefixlen: 32 }] },
    ]);
    expect(parseIpAddressJson(json)).toEqual([
      { device: 'lo', address: '127.0.0.1', prefixLength: 8 },
      { device: 'ipsec0', address: '10.1.1.110', prefixLength: 32 },
    ]);
    expect(parseIpAddressJson('')).toEqual([]);
  });

  it('finds lab namespaces whose creating process is gone, and only lab namespaces', () => {
    const alive = (pid: number) => pid === 100;
    const names = ['rtxlab-100-1-rtr', 'rtxlab-200-3-c0', 'rtxlab-lab-200-1-x', 'someone-else', 'rtxlab-abc-1-rtr'];
    expect(staleLabNames(names, /^rtxlab-(\d+)-\d+-/, alive)).toEqual(['rtxlab-200-3-c0']);
  });

  it('reads the variables the vpnc-script recorded', () => {
    expect(parseEnvLines('reason=connect\nINTERNAL_IP4_ADDRESS=10.1.1.110\nCISCO_BANNER=a=b\n')).toEqual({
      reason: 'connect', INTERNAL_IP4_ADDRESS: '10.1.1.110', CISCO_BANNER: 'a=b',
    });
  });
});

describe('parseEspSaTable', () => {
  it("reads back the esp_sa records rtxlab's --keys writes", () => {
    const sa = createEspSa(
      { encryption: 'aes128-cbc', integrity: 'hmac-sha1-96' },
      { spi: Buffer.from('c0ffee01', 'hex'), encryptionKey: Buffer.alloc(16, 0x11), integrityKey: Buffer.alloc(20, 0x22) },
    );
    const text = `${formatEspSaRecord('192.0.2.1', '192.0.2.254', sa)}\n\n`;
    expect(parseEspSaTable(text)).toEqual([
      {
        source: '192.0.2.1',
        destination: '192.0.2.254',
        spi: '0xc0ffee01',
        encryption: 'AES-CBC [RFC3602]',
        encryptionKey: `0x${'11'.repeat(16)}`,
        authentication: 'HMAC-SHA-1-96 [RFC2404]',
        authenticationKey: `0x${'22'.repeat(20)}`,
      },
    ]);
  });
});
