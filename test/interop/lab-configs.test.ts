// The lab's config writers, checked without root: what each typed option becomes in the files
// strongSwan and vpnc read. That the files work is proven by lab.test.ts on the real peers.
import { describe, expect, it } from 'vitest';
import { renderConf } from './lab/conf-syntax.js';
import {
  QUICK_RETRANSMIT,
  renderClientSwanctlConf,
  renderResponderSwanctlConf,
  renderStrongswanConf,
} from './lab/strongswan-config.js';
import { renderVpncConf } from './lab/vpnc.js';
import { parseIkev1DecryptionTable, tsharkDecryptionArgs } from './lab/tshark.js';
import { rtxStrongSwanClient, rtxStrongSwanResponder, rtxVpnc } from './peers/rtx-shaped.js';

/** `key = value` lines of a rendered file, by their section path, e.g. "connections.rtx.pull". */
function settings(text: string): Map<string, string> {
  const found = new Map<string, string>();
  const path: string[] = [];
  for (const line of text.split('\n').map((l) => l.trim())) {
    const open = /^(\S+) \{$/.exec(line);
    const pair = /^(\S+) = (.*)$/.exec(line);
    if (open) path.push(open[1]!);
    else if (line === '}') path.pop();
    else if (pair) found.set([...path, pair[1]!].join('.'), pair[2]!);
  }
  return found;
}

describe('settings syntax', () => {
  it('nests sections, writes booleans as yes/no and lists comma-separated, and leaves out undefined keys', () => {
    const text = renderConf({ a: { b: true, c: ['x', 'y'], d: undefined, e: { f: 3 } } });
    expect(text).toBe('a {\n  b = yes\n  c = x, y\n  e {\n    f = 3\n  }\n}\n');
  });

  it('refuses a value that would change the file structure (strongSwan values run to the end of the line)', () => {
    expect(() => renderConf({ secret: 'PSK\nload = everything' })).toThrow(/newlines/);
    expect(() => renderConf({ secret: 'a # b' })).toThrow(/#/);
    expect(() => renderConf({ 'bad key': 'x' })).toThrow(/invalid settings key/);
  });
});

describe('strongswan.conf', () => {
  const base = { viciSocketPath: '/tmp/lab/charon.vici', logFilePath: '/tmp/lab/charon.log' };

  it('loads the lab plugin list only, allows Aggressive Mode PSK and points vici and the file log into the lab folder', () => {
    const conf = settings(renderStrongswanConf(base));
    expect(conf.get('charon.load_modular')).toBe('no');
    expect(conf.get('charon.load')!.split(' ')).toEqual(expect.arrayContaining(['kernel-libipsec', 'xauth-generic', 'openssl', 'vici']));
    expect(conf.get('charon.i_dont_care_about_security_and_use_aggressive_mode_psk')).toBe('yes');
    expect(conf.get('charon.plugins.vici.socket')).toBe('unix:///tmp/lab/charon.vici');
    expect(conf.get('charon.filelog.lab.path')).toBe('/tmp/lab/charon.log');
    expect(conf.get('charon.filelog.lab.ike')).toBe('2');
  });

  it('retransmits quickly by default so a failing negotiation ends in seconds, and takes other settings', () => {
    const quick = settings(renderStrongswanConf(base));
    expect(quick.get('charon.retransmit_tries')).toBe(String(QUICK_RETRANSMIT.tries));
    const tuned = settings(renderStrongswanConf({ ...base, retransmit: { tries: 4, timeoutSeconds: 2, base: 1.8 }, logLevels: { chd: 4 }, allowAggressivePsk: false }));
    expect([tuned.get('charon.retransmit_tries'), tuned.get('charon.retransmit_timeout'), tuned.get('charon.retransmit_base')]).toEqual(['4', '2', '1.8']);
    expect(tuned.get('charon.filelog.lab.chd')).toBe('4');
    expect(tuned.get('charon.i_dont_care_about_security_and_use_aggressive_mode_psk')).toBe('no');
  });
});

describe('swanctl.conf for the RTX client', () => {
  it('asks for Aggressive Mode, PSK id myid, an XAUTH round as user1, accepts the mode-cfg push and forces encapsulation', () => {
    const conf = settings(renderClientSwanctlConf(rtxStrongSwanClient()));
    expect(conf.get('connections.rtx.version')).toBe('1');
    expect(conf.get('connections.rtx.aggressive')).toBe('yes');
    expect(conf.get('connections.rtx.pull')).toBe('no');
    expect(conf.get('connections.rtx.encap')).toBe('yes');
    expect(conf.get('connections.rtx.vips')).toBe('0.0.0.0');
    expect(conf.get('connections.rtx.remote_addrs')).toBe('192.0.2.254');
    expect(conf.get('connections.rtx.local.id')).toBe('myid');
    expect(conf.get('connections.rtx.local-xauth.xauth_id')).toBe('user1');
    expect(conf.get('connections.rtx.children.rtx.esp_proposals')).toBe('3des-sha1');
    expect(conf.get('secrets.ike-1.secret')).toBe('PSKEY1');
    expect(conf.get('secrets.xauth-1.id')).toBe('user1');
    expect(conf.get('secrets.xauth-1.secret')).toBe('password');
  });

  it('follows the options: pull mode, no XAUTH round, other proposals', () => {
    const conf = settings(renderClientSwanctlConf(rtxStrongSwanClient({ pull: true, xauth: undefined, proposals: ['aes128-sha1-modp2048', '3des-md5-modp1024'] })));
    expect(conf.get('connections.rtx.pull')).toBe('yes');
    expect(conf.has('connections.rtx.local-xauth.auth')).toBe(false);
    expect(conf.has('secrets.xauth-1.id')).toBe(false);
    expect(conf.get('connections.rtx.proposals')).toBe('aes128-sha1-modp2048, 3des-md5-modp1024');
  });
});

describe('swanctl.conf for the RTX-shaped responder', () => {
  it('pushes addresses from pool 10.1.1.110-112 to peer myid after XAUTH, for the LAN 10.1.1.0/24', () => {
    const conf = settings(renderResponderSwanctlConf(rtxStrongSwanResponder()));
    expect(conf.get('connections.rtx.pull')).toBe('no');
    expect(conf.get('connections.rtx.pools')).toBe('rw');
    expect(conf.get('pools.rw.addrs')).toBe('10.1.1.110-10.1.1.112');
    expect(conf.get('connections.rtx.remote.id')).toBe('myid');
    expect(conf.get('connections.rtx.remote-xauth.auth')).toBe('xauth');
    expect(conf.get('connections.rtx.children.rtx.local_ts')).toBe('10.1.1.0/24');
    expect(conf.get('secrets.ike-1.id')).toBe('myid');
  });

  it('keys the PSK to the peer identity it expects (vpnc sends ID_KEY_ID)', () => {
    const conf = settings(renderResponderSwanctlConf(rtxStrongSwanResponder({ peerId: 'keyid:myid', pull: true })));
    expect(conf.get('connections.rtx.remote.id')).toBe('keyid:myid');
    expect(conf.get('secrets.ike-1.id')).toBe('keyid:myid');
    expect(conf.get('connections.rtx.pull')).toBe('yes');
  });
});

describe('vpnc.conf', () => {
  it('writes one setting per line, with weak encryption enabled so that vpnc offers 3DES', () => {
    const lines = renderVpncConf(rtxVpnc(), { scriptCommand: '/bin/sh /x/vpnc-script.sh', pidFile: '/x/vpnc.pid' }).trimEnd().split('\n');
    expect(lines).toEqual(expect.arrayContaining([
      'IPSec gateway 192.0.2.254', 'IPSec ID myid', 'IPSec secret PSKEY1', 'Xauth username user1', 'Xauth password password',
      'IKE DH Group dh2', 'Perfect Forward Secrecy nopfs', 'Script /bin/sh /x/vpnc-script.sh', 'No Detach', 'Enable weak encryption',
    ]));
    expect(lines).not.toContain('Enable weak authentication');
  });
});

describe('tshark decryption preferences', () => {
  it('writes IKEv1 records as bare hex and ESP records as quoted fields with 0x-prefixed SPI and keys', () => {
    const args = tsharkDecryptionArgs({
      ikev1: [{ initiatorCookie: '0011223344556677', encryptionKey: 'aabb' }],
      esp: [{ source: '192.0.2.132', destination: '*', spi: 'c0ffee01', encryption: 'TripleDES-CBC [RFC2451]', encryptionKey: '01', authentication: 'HMAC-SHA-1-96 [RFC2404]', authenticationKey: '0x02' }],
    });
    expect(args).toEqual([
      '-o', 'uat:ikev1_decryption_table:0011223344556677,aabb',
      '-o', 'esp.enable_encryption_decode:TRUE', '-o', 'esp.enable_authentication_check:TRUE',
      '-o', 'uat:esp_sa:"IPv4","192.0.2.132","*","0xc0ffee01","TripleDES-CBC [RFC2451]","0x01","HMAC-SHA-1-96 [RFC2404]","0x02"',
    ]);
  });

  it('reads an ikev1_decryption_table file (the format rtxlab start --keys writes) back into records', () => {
    expect(parseIkev1DecryptionTable('3f4efdfbaf6a702d,f9396f7e\n\n0011223344556677,aabb\n')).toEqual([
      { initiatorCookie: '3f4efdfbaf6a702d', encryptionKey: 'f9396f7e' },
      { initiatorCookie: '0011223344556677', encryptionKey: 'aabb' },
    ]);
  });

  it('refuses a cookie that is not 8 bytes (tshark would reject the whole table)', () => {
    expect(() => tsharkDecryptionArgs({ ikev1: [{ initiatorCookie: '0011', encryptionKey: 'aa' }] })).toThrow(/16 hex digits/);
  });
});
