import { describe, expect, it } from 'vitest';
import { ikeLog, PAYLOAD_MALFORMED_NO_MESSAGE } from '../../src/ike-responder/log-lines.js';

describe('log vocabulary', () => {
  it('the verified RTX line and the seed\'s words', () => {
    expect(ikeLog.respondIsakmpPhase('192.0.2.132')).toEqual({ kind: 'log', level: 'info', message: '[IKE] respond ISAKMP phase to 192.0.2.132' });
    expect(PAYLOAD_MALFORMED_NO_MESSAGE).toBe('payload malformed : no message');
    expect(ikeLog.payloadMalformedNoMessage('192.0.2.132').message).toContain('payload malformed : no message');
  });

  it('failure lines are INFO (kept by `show log`), per-packet chatter is DEBUG', () => {
    expect(ikeLog.hashMismatch('192.0.2.132').level).toBe('info');
    expect(ikeLog.noProposalChosen('192.0.2.132').level).toBe('info');
    expect(ikeLog.unknownIsakmpSa('192.0.2.132', 'x').level).toBe('debug');
    expect(ikeLog.dpdAnswered('192.0.2.132', 1).level).toBe('debug');
  });
});
