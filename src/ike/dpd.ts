/**
 * Dead Peer Detection on the wire (RFC 3706 §5), for both roles: R-U-THERE and R-U-THERE-ACK are
 * ISAKMP notifies (protocol ISAKMP, SPI = CKY-I | CKY-R) whose data is a 4-byte big-endian
 * sequence number; each travels in a protected Informational of its own M-ID.
 */
import { NotifyType } from './constants.js';
import { isakmpSpi, notifyPayload, type NotifyPayload } from './codec/index.js';

export type DpdKind = 'r-u-there' | 'r-u-there-ack';

export interface DpdNotice {
  readonly kind: DpdKind;
  readonly sequence: number;
}

export interface DpdCookies {
  readonly initiatorCookie: Buffer;
  readonly responderCookie: Buffer;
}

const NOTIFY_TYPE: Record<DpdKind, number> = { 'r-u-there': NotifyType.R_U_THERE, 'r-u-there-ack': NotifyType.R_U_THERE_ACK };

/** The DPD notify for `sequence` under the ISAKMP SA of `cookies`. */
export function dpdNotify(kind: DpdKind, cookies: DpdCookies, sequence: number): NotifyPayload {
  return notifyPayload({ notifyType: NOTIFY_TYPE[kind], spi: isakmpSpi(cookies.initiatorCookie, cookies.responderCookie), data: sequenceBytes(sequence) });
}

/** What a notify says about DPD, if it is one: a notify of either type without a 4-byte sequence is not (RFC 3706 §7). */
export function readDpdNotify(notify: Pick<NotifyPayload, 'notifyType' | 'data'>): DpdNotice | undefined {
  if (notify.data.length !== 4) return undefined;
  if (notify.notifyType === NotifyType.R_U_THERE) return { kind: 'r-u-there', sequence: notify.data.readUInt32BE(0) };
  if (notify.notifyType === NotifyType.R_U_THERE_ACK) return { kind: 'r-u-there-ack', sequence: notify.data.readUInt32BE(0) };
  return undefined;
}

/** The sequence after `sequence`, modulo 2^32 (RFC 3706 §7: it increases with each R-U-THERE). */
export function nextDpdSequence(sequence: number): number {
  return (sequence + 1) >>> 0;
}

export function sequenceBytes(sequence: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(sequence >>> 0);
  return bytes;
}
