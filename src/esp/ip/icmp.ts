import { internetChecksum } from './checksum.js';

// ICMP echo (RFC 792): the only ICMP the router's inside answers.

export const IcmpType = { ECHO_REPLY: 0, ECHO_REQUEST: 8 } as const;

const ECHO_HEADER_LENGTH = 8;

export interface IcmpEcho {
  readonly kind: 'request' | 'reply';
  readonly identifier: number;
  readonly sequenceNumber: number;
  readonly data: Buffer;
}

export type IcmpEchoProblem = 'truncated' | 'bad-checksum' | 'not-echo';

export type IcmpEchoDecodeResult = { readonly ok: true; readonly echo: IcmpEcho } | { readonly ok: false; readonly problem: IcmpEchoProblem };

/** Decodes an ICMP message (the IPv4 payload) as an echo request or reply; never throws. */
export function decodeIcmpEcho(message: Buffer): IcmpEchoDecodeResult {
  if (message.length < ECHO_HEADER_LENGTH) return { ok: false, problem: 'truncated' };
  if (internetChecksum(message) !== 0) return { ok: false, problem: 'bad-checksum' };
  const type = message[0]!;
  if ((type !== IcmpType.ECHO_REQUEST && type !== IcmpType.ECHO_REPLY) || message[1] !== 0) return { ok: false, problem: 'not-echo' };
  return {
    ok: true,
    echo: {
      kind: type === IcmpType.ECHO_REQUEST ? 'request' : 'reply',
      identifier: message.readUInt16BE(4),
      sequenceNumber: message.readUInt16BE(6),
      data: message.subarray(ECHO_HEADER_LENGTH),
    },
  };
}

export function encodeIcmpEcho(echo: IcmpEcho): Buffer {
  const message = Buffer.alloc(ECHO_HEADER_LENGTH + echo.data.length);
  message[0] = echo.kind === 'request' ? IcmpType.ECHO_REQUEST : IcmpType.ECHO_REPLY;
  message.writeUInt16BE(echo.identifier, 4);
  message.writeUInt16BE(echo.sequenceNumber, 6);
  echo.data.copy(message, ECHO_HEADER_LENGTH);
  message.writeUInt16BE(internetChecksum(message), 2);
  return message;
}
