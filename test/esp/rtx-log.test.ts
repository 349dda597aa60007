import { describe, expect, it } from 'vitest';
import { INBOUND_DROP_REASONS, rtxDebugLineForDrop } from '../../src/esp/index.js';

describe('RTX debug lines for anti-replay drops (command reference §15.48.2)', () => {
  it('a sequence number behind the window: [IPSEC] sequence difference', () => {
    expect(rtxDebugLineForDrop('too-old')).toBe('[IPSEC] sequence difference');
  });

  it('a duplicate or a zero sequence number: [IPSEC] sequence number is wrong', () => {
    expect(rtxDebugLineForDrop('replayed')).toBe('[IPSEC] sequence number is wrong');
    expect(rtxDebugLineForDrop('sequence-zero')).toBe('[IPSEC] sequence number is wrong');
  });

  it('no RTX wording is known for the other drops', () => {
    const worded = INBOUND_DROP_REASONS.filter((reason) => rtxDebugLineForDrop(reason) !== undefined);
    expect(worded.sort()).toEqual(['replayed', 'sequence-zero', 'too-old']);
  });
});
