import { describe, expect, it } from 'vitest';
import { ExchangeType } from '../../src/ike/constants.js';
import { decodeMessage } from '../../src/ike/codec/index.js';
import { keyInfo, messageDebugLines, payloadInfo } from '../../src/ike-responder/debug-log.js';
import { NO_IKE_LOG } from '../../src/ike-responder/policy.js';
import { CLIENT, clientMessage1 } from './support.js';

const all = { messageInfo: true, payloadInfo: true, keyInfo: true };

function message1() {
  const decoded = decodeMessage(clientMessage1({ vendorIds: ['DPD'] }).bytes);
  if (!decoded.ok || decoded.value.kind !== 'cleartext') throw new Error('no message 1');
  return decoded.value;
}

describe('`ipsec ike log` debug lines (format assumed)', () => {
  it('message-info: one line per message with exchange, cookies, M-ID, flags, length and payloads', () => {
    const { header, payloads } = message1();
    const [line] = messageDebugLines({ ...NO_IKE_LOG, messageInfo: true }, true, 'receive', CLIENT, header, payloads);
    expect(line).toMatchObject({ kind: 'log', level: 'debug' });
    expect(line!.kind === 'log' && line!.message).toBe(
      `[IKE] receive message from 192.0.2.132:500 : AGGRESSIVE, i-cookie 0x${header.initiatorCookie.toString('hex')}, r-cookie 0x0000000000000000, ` +
        `message id 0x00000000, flags 0x00, ${header.length} bytes [SA KE NONCE ID VENDOR-ID]`,
    );
    expect(header.exchangeType).toBe(ExchangeType.AGGRESSIVE);
  });

  it('payload-info: one line per payload, transforms and IDs spelled out', () => {
    const lines = payloadInfo(message1().payloads).map((line) => line.message);
    expect(lines).toEqual([
      '[IKE]  payload SA : DOI 1, ISAKMP #1 [3DES-CBC SHA MODP-1024 XAUTHInitPreShared 28800s]',
      '[IKE]  payload KE : 128 bytes',
      '[IKE]  payload NONCE : 32 bytes',
      '[IKE]  payload ID : FQDN myid',
      '[IKE]  payload VENDOR-ID : DPD',
    ]);
  });

  it('key-info: the keys in hex', () => {
    const keys = { skeyid: Buffer.of(1), skeyidD: Buffer.of(2), skeyidA: Buffer.of(3), skeyidE: Buffer.of(4), encryptionKey: Buffer.of(5) };
    expect(keyInfo(keys, Buffer.of(6)).map((line) => line.message)).toEqual([
      '[IKE]  key SKEYID : 0x01',
      '[IKE]  key SKEYID_d : 0x02',
      '[IKE]  key SKEYID_a : 0x03',
      '[IKE]  key SKEYID_e : 0x04',
      '[IKE]  key encryption key : 0x05',
      '[IKE]  key initial IV : 0x06',
    ]);
  });

  it('nothing without `syslog debug on`, nothing for options that are off', () => {
    const { header, payloads } = message1();
    expect(messageDebugLines(all, false, 'send', CLIENT, header, payloads)).toEqual([]);
    expect(messageDebugLines(NO_IKE_LOG, true, 'send', CLIENT, header, payloads)).toEqual([]);
    expect(messageDebugLines({ ...NO_IKE_LOG, payloadInfo: true }, true, 'send', CLIENT, header, payloads)).toHaveLength(5);
    expect(messageDebugLines(all, true, 'receive', CLIENT, header)).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/\(encrypted\)$/) }),
    ]);
  });
});
