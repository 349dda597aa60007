import { describe, expect, it } from 'vitest';
import { espSaFilePath, espSaRecords } from '../../src/router/esp-sa-file.js';
import { installedSa } from './support/esp-client.js';

describe('ESP SA records for --keys', () => {
  const installed = installedSa({
    tunnelId: 1,
    routerSpi: 0xaabbccdd,
    clientSpi: 0x11223344,
    peer: { address: '192.0.2.10', port: 4500 },
    local: { address: '198.51.100.1', port: 4500 },
    now: 0,
  });
  const [inbound, outbound] = espSaRecords(installed);

  it('the inbound record runs peer -> router with the router SPI and the inbound keys', () => {
    expect(inbound).toBe(
      `"IPv4","192.0.2.10","198.51.100.1","0xaabbccdd","TripleDES-CBC [RFC2451]","0x${installed.inbound.encryptionKey.toString('hex')}",` +
        `"HMAC-SHA-1-96 [RFC2404]","0x${installed.inbound.integrityKey.toString('hex')}"`,
    );
  });

  it('the outbound record runs router -> peer with the peer SPI and the outbound keys', () => {
    expect(outbound).toContain('"198.51.100.1","192.0.2.10","0x11223344"');
    expect(outbound).toContain(installed.outbound.encryptionKey.toString('hex'));
  });

  it('lives next to the IKE keys file', () => {
    expect(espSaFilePath('/tmp/rtxlab.keys')).toBe('/tmp/rtxlab.keys.esp_sa');
  });
});
