/**
 * The pp family as the router reads it: peer selection, PPP authentication and keepalive, the
 * per-peer PPP and PPPoE options — accepted lines with their parameters, refused ones with the
 * RTX error (command reference chapters 8.2, 11, 56).
 */
import { describe, expect, it } from 'vitest';
import { acceptedBy, interpretLine, lineError } from '../support.js';
import { GLOBAL_CONTEXT, type ConfigContext } from '../../../src/config/model.js';

const PP1: ConfigContext = { kind: 'pp', peer: 1 };
/** The parameters of an accepted line (fails the test on anything else). */
const params = (line: string, context: ConfigContext = PP1) => acceptedBy('pp', line, context).params;
const errorOf = (line: string, context: ConfigContext = PP1) => lineError(line, context);
const outcome = (line: string, context: ConfigContext) => interpretLine(line, context);

describe('pp select (a context switch)', () => {
  it('selects a numbered peer, anonymous, or none', () => {
    expect(outcome('pp select 1', GLOBAL_CONTEXT)).toEqual({ kind: 'select', context: { kind: 'pp', peer: 1 } });
    expect(outcome('PP SELECT anonymous', GLOBAL_CONTEXT)).toEqual({ kind: 'select', context: { kind: 'pp', peer: 'anonymous' } });
    expect(outcome('pp select none', PP1)).toEqual({ kind: 'select', context: GLOBAL_CONTEXT });
  });
  it('refuses a missing, non-numeric or out-of-range peer', () => {
    expect(errorOf('pp select', GLOBAL_CONTEXT)).toBe('insufficient-or-too-many-parameters');
    expect(errorOf('pp select first', GLOBAL_CONTEXT)).toBe('illegal-keyword');
    expect(errorOf('pp select 1.5', GLOBAL_CONTEXT)).toBe('parameter-must-be-integer');
    expect(errorOf('pp select 0', GLOBAL_CONTEXT)).toBe('parameter-out-of-range');
    expect(errorOf('pp select 1 2', GLOBAL_CONTEXT)).toBe('insufficient-or-too-many-parameters');
  });
});

describe('peers: enable, disable, bind, always-on, name', () => {
  it('enables and disables peers by number, range, anonymous or all', () => {
    expect(params('pp enable 1', GLOBAL_CONTEXT)).toEqual({ peers: [1] });
    expect(params('pp enable anonymous', GLOBAL_CONTEXT)).toEqual({ peers: ['anonymous'] });
    expect(params('pp disable all', GLOBAL_CONTEXT)).toEqual({ peers: ['all'] });
    expect(params('pp disable 2-4 7', GLOBAL_CONTEXT)).toEqual({ peers: [{ from: 2, to: 4 }, 7] });
    expect(errorOf('pp enable 0', GLOBAL_CONTEXT)).toBe('parameter-out-of-range');
    expect(errorOf('pp enable 5-3', GLOBAL_CONTEXT)).toBe('parameter-out-of-range');
  });
  it('binds tunnels (one, or a template range) and other interfaces', () => {
    expect(params('pp bind tunnel2')).toEqual({ interfaces: ['tunnel2'] });
    expect(params('pp bind tunnel1-tunnel20')).toEqual({ interfaces: ['tunnel1-tunnel20'] });
    expect(params('pp bind bri1 bri2')).toEqual({ interfaces: ['bri1', 'bri2'] });
    expect(errorOf('pp bind 192.0.2.1')).toBe('illegal-keyword');
  });
  it('keeps a peer always on', () => {
    expect(params('pp always-on on')).toEqual({ enabled: true });
    expect(params('pp always-on off 60')).toEqual({ enabled: false, time: 60 });
    expect(errorOf('pp always-on yes')).toBe('illegal-keyword');
  });
  it('are settings of the selected peer (needing one), except enable/disable', () => {
    expect(errorOf('pp always-on on', GLOBAL_CONTEXT)).toBe('execute-select-beforehand');
    expect(errorOf('pp bind tunnel1', GLOBAL_CONTEXT)).toBe('execute-select-beforehand');
    expect(errorOf('pp enable 1', GLOBAL_CONTEXT)).toBe('set');
  });
});

describe('pp auth', () => {
  it('accepts one or two methods and requests one', () => {
    expect(params('pp auth accept pap chap')).toEqual({ methods: ['pap', 'chap'] });
    expect(params('pp auth accept mschap-v2')).toEqual({ methods: ['mschap-v2'] });
    expect(params('pp auth request chap-pap')).toEqual({ method: 'chap-pap', arriveOnly: false });
    expect(params('pp auth request mschap-v2 arrive-only')).toEqual({ method: 'mschap-v2', arriveOnly: true });
    expect(errorOf('pp auth accept pap chap mschap')).toBe('insufficient-or-too-many-parameters');
    expect(errorOf('pp auth request eap')).toBe('illegal-keyword');
  });
  it('keeps my name and the users of anonymous peers', () => {
    expect(params('pp auth myname user@example.com s3cret')).toEqual({ name: 'user@example.com', password: 's3cret' });
    expect(params('pp auth username alice "pass word"')).toEqual({ username: 'alice', password: 'pass word', mscbcp: false });
    expect(params('pp auth username bob pw myname me mypw 198.51.100.7')).toEqual({
      username: 'bob',
      password: 'pw',
      myname: { name: 'me', password: 'mypw' },
      mscbcp: false,
      address: '198.51.100.7',
    });
    expect(errorOf('pp auth myname onlyname')).toBe('insufficient-or-too-many-parameters');
    expect(errorOf(`pp auth myname ${'n'.repeat(65)} pw`)).toBe('parameter-out-of-range');
    expect(params('pp auth multi connect prohibit on')).toEqual({ enabled: true });
  });
});

describe('pp keepalive and backup', () => {
  it('takes the interval with retry-interval=, count= or time=', () => {
    expect(params('pp keepalive interval 30 retry-interval=30 count=12')).toEqual({ interval: 30, retryInterval: 30, count: 12 });
    expect(params('pp keepalive interval 10 time=60')).toEqual({ interval: 10, time: 60 });
    expect(errorOf('pp keepalive interval 30 count=2')).toBe('parameter-out-of-range');
    expect(errorOf('pp keepalive interval 30 count=6 time=60')).toBe('illegal-keyword');
    expect(errorOf('pp keepalive interval 30 retry=5')).toBe('illegal-keyword');
    expect(errorOf('pp keepalive interval 30 count=six')).toBe('parameter-must-be-integer');
  });
  it('uses LCP echo, ICMP echo with options, both, or nothing', () => {
    expect(params('pp keepalive use lcp-echo')).toEqual({ lcpEcho: true, icmpEcho: [] });
    expect(params('pp keepalive use off')).toEqual({ off: true });
    expect(params('pp keepalive use lcp-echo icmp-echo 192.0.2.1 downwait=500 192.0.2.2')).toEqual({
      lcpEcho: true,
      icmpEcho: [
        { address: '192.0.2.1', options: { downwait: '500' } },
        { address: '192.0.2.2', options: {} },
      ],
    });
    expect(errorOf('pp keepalive use icmp-echo 192.0.2.1 length=20')).toBe('parameter-out-of-range');
    expect(errorOf('pp keepalive use icmp-echo')).toBe('insufficient-or-too-many-parameters');
    expect(params('pp keepalive log on', GLOBAL_CONTEXT)).toEqual({ enabled: true });
  });
  it('backs a peer up with another peer, a LAN gateway or a tunnel', () => {
    expect(params('pp backup pp 2 ipsec-fast-recovery=on')).toEqual({ kind: 'pp', peer: 2, 'ipsec-fast-recovery': 'on' });
    expect(params('pp backup lan2 192.0.2.254')).toEqual({ kind: 'interface', interface: 'lan2', gateway: '192.0.2.254' });
    expect(params('pp backup tunnel 3')).toEqual({ kind: 'tunnel', tunnel: 3 });
    expect(params('pp backup none')).toEqual({ kind: 'none' });
    expect(params('pp backup recovery time off', GLOBAL_CONTEXT)).toEqual({ seconds: 'off' });
    expect(errorOf('pp backup pp 2 ipsec-fast-recovery=maybe')).toBe('illegal-keyword');
  });
});

describe('ppp options of the selected peer', () => {
  it('switches LCP/IPCP/IPV6CP options on and off', () => {
    expect(params('ppp ipcp ipaddress on')).toEqual({ enabled: true });
    expect(params('ppp ipcp msext on')).toEqual({ enabled: true });
    expect(params('ppp lcp magicnumber off')).toEqual({ enabled: false });
    expect(params('ppp ipcp remote address check off')).toEqual({ enabled: false });
    expect(params('ppp ipv6cp use off')).toEqual({ enabled: false });
    expect(errorOf('ppp ipcp msext maybe')).toBe('illegal-keyword');
  });
  it('sets the MRU (1280..1792), CCP type, timers (20..10000 ms) and counters (1..10)', () => {
    expect(params('ppp lcp mru on 1454')).toEqual({ enabled: true, length: 1454 });
    expect(params('ppp lcp mru off')).toEqual({ enabled: false });
    expect(params('ppp ccp type none')).toEqual({ type: 'none' });
    expect(params('ppp ccp type mppe-128')).toEqual({ type: 'mppe-128' });
    expect(params('ppp lcp restart 3000')).toEqual({ value: 3000 });
    expect(params('ppp ipcp maxconfigure 10')).toEqual({ value: 10 });
    expect(errorOf('ppp lcp mru on 1500000')).toBe('parameter-out-of-range');
    expect(errorOf('ppp lcp mru on 1200')).toBe('parameter-out-of-range');
    expect(errorOf('ppp ccp type lzs')).toBe('illegal-keyword');
    expect(errorOf('ppp chap maxchallenge 11')).toBe('parameter-out-of-range');
    expect(errorOf('ppp pap restart 19')).toBe('parameter-out-of-range');
    expect(errorOf('ppp ipcp msext on', GLOBAL_CONTEXT)).toBe('execute-select-beforehand');
  });
});

describe('pppoe', () => {
  it('runs PPPoE over a LAN interface with its session options', () => {
    expect(params('pppoe use lan2')).toEqual({ interface: 'lan2' });
    expect(params('pppoe use lan1.2')).toEqual({ interface: 'lan1.2' });
    expect(params('pppoe auto disconnect off')).toEqual({ enabled: false });
    expect(params('pppoe auto connect on')).toEqual({ enabled: true });
    expect(params('pppoe padi maxretry 5')).toEqual({ value: 5 });
    expect(params('pppoe disconnect time off')).toEqual({ seconds: 'off' });
    expect(params('pppoe service-name EXAMPLE')).toEqual({ name: 'EXAMPLE' });
    expect(params('pppoe tcp mss limit auto')).toEqual({ length: 'auto' });
    expect(params('pppoe tcp mss limit 1414')).toEqual({ length: 1414 });
    expect(params('pppoe pass-through member lan1 lan2', GLOBAL_CONTEXT)).toEqual({ interfaces: ['lan1', 'lan2'] });
  });
  it('refuses what PPPoE cannot take', () => {
    expect(errorOf('pppoe use pp1')).toBe('illegal-keyword');
    expect(errorOf('pppoe tcp mss limit 1500')).toBe('parameter-out-of-range');
    expect(errorOf('pppoe padr restart 10')).toBe('parameter-out-of-range');
    expect(errorOf('pppoe use lan2', GLOBAL_CONTEXT)).toBe('execute-select-beforehand');
  });
});
