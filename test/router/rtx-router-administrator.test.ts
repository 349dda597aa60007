/**
 * RtxRouter.claimAdministrator: one session in administrator mode at a time; a release by a
 * holder that already gave it up does not free someone else's claim.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG_TEXT } from '../../src/config/default-config.js';
import { readConfig } from '../../src/config/read-config.js';
import { RtxRouter } from '../../src/router/rtx-router.js';

describe('RtxRouter.claimAdministrator', () => {
  it('grants one holder at a time and names the holder to the next', () => {
    const router = new RtxRouter(readConfig(DEFAULT_CONFIG_TEXT));
    const first = router.claimAdministrator('Serial');
    expect(first.kind).toBe('granted');
    expect(router.claimAdministrator('TELNET: 192.0.2.1')).toEqual({ kind: 'held', by: 'Serial' });
    if (first.kind === 'granted') first.release();
    const second = router.claimAdministrator('TELNET: 192.0.2.1');
    expect(second.kind).toBe('granted');
    if (first.kind === 'granted') first.release(); // a stale release
    expect(router.claimAdministrator('Serial')).toEqual({ kind: 'held', by: 'TELNET: 192.0.2.1' });
  });
});
