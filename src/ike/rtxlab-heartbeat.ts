/**
 * rtxlab's heartbeat on the wire: an ASSUMED stand-in for Yamaha's proprietary IKE keepalive
 * (`ipsec ike keepalive use GW on heartbeat`), whose format is not published. It is good between
 * two rtxlab routers only and is never claimed to interoperate with a real RTX.
 *
 * What it sends: a protected Informational (`HDR*, HASH(1), N`) in a new M-ID, one Notify with
 * protocol ISAKMP, SPI = CKY-I | CKY-R, type 40500 (from RFC 2408's private-use status range
 * 32768..40959, where DPD's 36136/36137 also sit; no assignment of 40500 is known), and data =
 * the ASCII tag `rtxlab-hb` followed by a 4-byte big-endian sequence number. Heartbeats are not
 * answered: each side sends its own every interval, and hearing none for `count` intervals means
 * the peer is gone.
 */
import { isakmpSpi, notifyPayload, type NotifyPayload } from './codec/index.js';
import { sequenceBytes } from './dpd.js';

export const RTXLAB_HEARTBEAT_NOTIFY = 40500;

const TAG = Buffer.from('rtxlab-hb', 'ascii');

export function heartbeatNotify(cookies: { readonly initiatorCookie: Buffer; readonly responderCookie: Buffer }, sequence: number): NotifyPayload {
  return notifyPayload({
    notifyType: RTXLAB_HEARTBEAT_NOTIFY,
    spi: isakmpSpi(cookies.initiatorCookie, cookies.responderCookie),
    data: Buffer.concat([TAG, sequenceBytes(sequence)]),
  });
}

/** The heartbeat's sequence number, or undefined when the notify is not an rtxlab heartbeat. */
export function readHeartbeatNotify(notify: Pick<NotifyPayload, 'notifyType' | 'data'>): number | undefined {
  if (notify.notifyType !== RTXLAB_HEARTBEAT_NOTIFY || notify.data.length !== TAG.length + 4) return undefined;
  if (!notify.data.subarray(0, TAG.length).equals(TAG)) return undefined;
  return notify.data.readUInt32BE(TAG.length);
}
