import { describe, expect, it } from 'vitest';
import { PeerKeys } from '../../src/web/peer-keys.js';

const CLIENT = { address: '198.51.100.7', port: 4500 };
const ikev1 = (initiatorCookie: string) => ({ kind: 'ikev1', initiatorCookie, decryptionTableLine: `${initiatorCookie},${'ab'.repeat(24)}` }) as const;
const esp = (peer: { address: string; port: number }, spi: string) =>
  ({ kind: 'esp', peer, espSaLines: [`"IPv4","${peer.address}","192.0.2.1","0x${spi}",...`, `"IPv4","192.0.2.1","${peer.address}","0x${spi}",...`] }) as const;

describe("a ladder's keys", () => {
  it("are its ISAKMP SA's decryption-table record and the ESP pairs made with its endpoints, nobody else's", () => {
    const keys = new PeerKeys();
    keys.record(ikev1('1111111111111111'));
    keys.record(ikev1('2222222222222222'));
    keys.record(esp(CLIENT, '0000aaaa'));
    keys.record(esp({ address: '198.51.100.8', port: 4500 }, '0000bbbb'));
    const tables = keys.tablesFor('1111111111111111', new Set(['198.51.100.7:500', '198.51.100.7:4500']));
    expect(tables.ikev1DecryptionTable).toEqual([ikev1('1111111111111111').decryptionTableLine]);
    expect(tables.espSa).toEqual([...esp(CLIENT, '0000aaaa').espSaLines]);
  });

  it('keeps only the newest records', () => {
    const keys = new PeerKeys(2);
    for (const cookie of ['1111111111111111', '2222222222222222', '3333333333333333']) keys.record(ikev1(cookie));
    expect(keys.tablesFor('1111111111111111', new Set()).ikev1DecryptionTable).toEqual([]);
    expect(keys.tablesFor('3333333333333333', new Set()).ikev1DecryptionTable).toHaveLength(1);
  });
});
