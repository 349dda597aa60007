/** rtxlab's heartbeat notify: an assumed stand-in for Yamaha's proprietary one (docs/fidelity.md). */
import { describe, expect, it } from 'vitest';
import { NotifyType } from '../../src/ike/constants.js';
import { RTXLAB_HEARTBEAT_NOTIFY, heartbeatNotify, readHeartbeatNotify } from '../../src/ike/rtxlab-heartbeat.js';

const cookies = { initiatorCookie: Buffer.from('0102030405060708', 'hex'), responderCookie: Buffer.from('1112131415161718', 'hex') };

describe("rtxlab's heartbeat notify (assumed format)", () => {
  it('is private-use status type 40500 with the tag rtxlab-hb and a 4-byte sequence', () => {
    const notify = heartbeatNotify(cookies, 5);
    expect(notify.notifyType).toBe(RTXLAB_HEARTBEAT_NOTIFY);
    expect(notify.data).toEqual(Buffer.concat([Buffer.from('rtxlab-hb'), Buffer.from('00000005', 'hex')]));
    expect(readHeartbeatNotify(notify)).toBe(5);
  });

  it('is not read from another notify of the same type (a different tag or length)', () => {
    expect(readHeartbeatNotify({ notifyType: RTXLAB_HEARTBEAT_NOTIFY, data: Buffer.concat([Buffer.from('other-tag'), Buffer.alloc(4)]) })).toBeUndefined();
    expect(readHeartbeatNotify({ notifyType: RTXLAB_HEARTBEAT_NOTIFY, data: Buffer.alloc(4) })).toBeUndefined();
    expect(readHeartbeatNotify({ notifyType: NotifyType.R_U_THERE, data: heartbeatNotify(cookies, 1).data })).toBeUndefined();
  });
});
