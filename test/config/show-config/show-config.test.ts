/**
 * `show config`: the seed config printed in the RTX layout (rtx-behaviour.md §8): five header
 * lines, the RTX section order, tunnel blocks with one-space indentation and two spaces under
 * `ipsec tunnel`, no `tunnel select none`, passwords as `*`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { showConfig } from '../../../src/config/show-config/show-config.js';
import { readConfig } from '../../../src/config/read-config.js';
import { repoRoot } from '../../support/paths.js';
import { read, signature } from '../support.js';

// The seed write-up's config lines (shared/seed/000_81cabc0878783451.txt), copied verbatim.
const seedPath = join(repoRoot, 'test', 'config', 'fixtures', 'seed-rtx1500.conf');
const reportTime = new Date(Date.UTC(2008, 9, 1, 3, 28, 6)); // 12:28:06 JST, the seed's Reporting Date

const seedConfig = (): string => readFileSync(seedPath, 'utf8');

const SEED_SHOW_CONFIG = `# RTX1500 Rev.8.03.75 (Tue Apr 15 11:14:13 2008)
# MAC Address : 00:a0:de:00:15:01, 00:a0:de:00:15:02, 00:a0:de:00:15:03, 
# Memory 128Mbytes, 3LAN, 2BRI
# main:  RTX1500 ver=d0 serial=N0X000001 MAC-Address=00:a0:de:00:15:01 MAC-Address=00:a0:de:00:15:02 MAC-Address=00:a0:de:00:15:03
# Reporting Date: Oct 1 12:28:06 2008
login password *
console character ascii
ip route default gateway 172.16.0.1
ip route 192.168.100.0/24 gateway tunnel 1
ip lan1 address 10.1.1.1/24
ip lan1 proxyarp on
ip lan2 address 172.16.0.254/24
tunnel select 1
 ipsec tunnel 1
  ipsec sa policy 1 1 esp 3des-cbc sha-hmac
  ipsec ike always-on 1 off
  ipsec ike encryption 1 3des-cbc
  ipsec ike esp-encapsulation 1 off
  ipsec ike group 1 modp1024
  ipsec ike hash 1 sha
  ipsec ike keepalive log 1 on
  ipsec ike local address 1 172.16.0.254
  ipsec ike log 1 key-info message-info payload-info
  ipsec ike payload type 1 3
  ipsec ike pfs 1 off
  ipsec ike pre-shared-key 1 *
  ipsec ike remote address 1 any
  ipsec ike remote name 1 myid
  ipsec ike xauth request 1 on 11
  ipsec ike mode-cfg address 1 1
  ipsec auto refresh 1 on
 ip tunnel tcp mss limit auto
 tunnel enable 1
ipsec ike mode-cfg address pool 1 10.1.1.110-10.1.1.112/32
syslog debug on
auth user 1 user1 password
auth user group 11 1-3
auth user group attribute 11 xauth=on
`;

describe('show config of the seed config', () => {
  const seed = readConfig(seedConfig());

  it('the seed is accepted verbatim', () => {
    expect(seed.problems).toEqual([]);
    expect(seed.model.size).toBe(32);
  });

  it('prints in the RTX layout (the seed’s own order, re-indented, with the full header)', () => {
    expect(showConfig(seed.model, { now: reportTime })).toBe(SEED_SHOW_CONFIG);
  });

  it('the printed text reads back to the same model', () => {
    expect(signature(readConfig(SEED_SHOW_CONFIG).model)).toEqual(signature(seed.model));
  });

  it('the Reporting Date follows the clock in the config’s timezone', () => {
    const utc = showConfig(read('timezone utc').model, { now: reportTime });
    expect(utc).toContain('# Reporting Date: Oct 1 03:28:06 2008\n');
  });
});

describe('show config layout rules', () => {
  const model = read(
    'syslog notice on',
    'ip lan2 address 192.168.0.1/24',
    'administrator password encrypted 5c4d3e',
    'login password plain-secret',
    'pp select anonymous',
    ' ip pp remote address pool 172.16.0.1-172.16.0.20',
    ' pp enable anonymous',
    'pp select 1',
    ' ip pp mtu 1454',
    ' pp enable 1',
    'pp select none',
    'tunnel select 2',
    ' ip tunnel tcp mss limit auto',
    ' ipsec tunnel 102',
    'tunnel select none',
    'ipsec sa policy 102 2 esp aes-cbc sha-hmac',
    'ip lan1 address 10.0.0.1/24',
    'ipsec ike remote name 2 "branch office"',
    'tunnel enable 2',
    'nat descriptor type 1 masquerade',
    'ip filter 20 pass * *',
    'ip filter 3 reject *',
    'console prompt "[RTX1500] "',
  ).model;
  const text = showConfig(model, { now: reportTime });
  const body = text.split('\n').slice(5, -1);

  it('orders sections as the RTX does and blocks as described', () => {
    expect(body).toEqual([
      'login password *',
      'administrator password encrypted *',
      'console prompt "[RTX1500] "',
      'ip lan1 address 10.0.0.1/24',
      'ip lan2 address 192.168.0.1/24',
      'pp select 1',
      ' ip pp mtu 1454',
      ' pp enable 1',
      'pp select anonymous',
      ' ip pp remote address pool 172.16.0.1-172.16.0.20',
      ' pp enable anonymous',
      'tunnel select 2',
      ' ipsec tunnel 102',
      '  ipsec sa policy 102 2 esp aes-cbc sha-hmac',
      '  ipsec ike remote name 2 "branch office"',
      ' ip tunnel tcp mss limit auto',
      ' tunnel enable 2',
      'ip filter 3 reject *',
      'ip filter 20 pass * *',
      'nat descriptor type 1 masquerade',
      'syslog notice on',
    ]);
  });

  it('never prints `select none`', () => {
    expect(text).not.toMatch(/select none/);
  });

  it('masks login and administrator passwords; reading the print back gives `*`', () => {
    expect(readConfig(text).model.byName('login password')[0]!.params).toEqual({ encrypted: false, secret: { kind: 'masked' } });
  });

  it('prints keywords in lower case and values as entered', () => {
    expect(showConfig(read('IPSEC IKE ENCRYPTION 1 AES-CBC', 'ipsec ike remote name 1 MyPeer').model, { now: reportTime })).toContain(
      'ipsec ike encryption 1 aes-cbc\nipsec ike remote name 1 MyPeer\n',
    );
  });

  it('a value that happens to be a keyword keeps its case', () => {
    expect(showConfig(read('ipsec ike remote name 1 On').model, { now: reportTime })).toContain('ipsec ike remote name 1 On\n');
  });

  it('prints a gateway\'s settings under the tunnel whose policy uses it, not under a tunnel of its number', () => {
    const printed = showConfig(
      read(
        'tunnel select 1',
        ' ipsec tunnel 101',
        '  ipsec sa policy 101 3 esp aes-cbc sha-hmac',
        '  ipsec ike pre-shared-key 3 text abc',
        '  ipsec ike remote address 3 192.0.2.1',
        ' tunnel enable 1',
      ).model,
      { now: reportTime },
    );
    expect(printed.split('\n').slice(5, -1)).toEqual([
      'tunnel select 1',
      ' ipsec tunnel 101',
      '  ipsec sa policy 101 3 esp aes-cbc sha-hmac',
      '  ipsec ike pre-shared-key 3 text abc',
      '  ipsec ike remote address 3 192.0.2.1',
      ' tunnel enable 1',
    ]);
  });

  it('prints a gateway no tunnel uses among the global lines, never under an invented `tunnel select`', () => {
    const printed = showConfig(read('ipsec ike pre-shared-key 2 text himitsu2', 'syslog notice on').model, { now: reportTime });
    expect(printed.split('\n').slice(5, -1)).toEqual(['ipsec ike pre-shared-key 2 text himitsu2', 'syslog notice on']);
    expect(printed).not.toMatch(/tunnel select/);
  });

  it('keeps `no tunnel enable all` where saved configs have it: before the tunnel blocks', () => {
    const model = read('pp disable all', 'no tunnel enable all', 'tunnel select 1', ' ipsec tunnel 1', ' tunnel enable 1').model;
    expect(showConfig(model, { now: reportTime }).split('\n').slice(5, -1)).toEqual([
      'pp disable all',
      'no tunnel enable all',
      'tunnel select 1',
      ' ipsec tunnel 1',
      ' tunnel enable 1',
    ]);
  });

  it('keeps a here-document body raw', () => {
    const printed = showConfig(read('embedded file t.lua <<EOF', 'print("x")', 'EOF').model, { now: reportTime });
    expect(printed.split('\n').slice(5, -1)).toEqual(['embedded file t.lua <<EOF', 'print("x")', 'EOF']);
  });
});
