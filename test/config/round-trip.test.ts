/**
 * Printing then re-reading any accepted config gives the same model (issue 2 §5): over every
 * fixture, and over random sequences of valid commands (fast-check). The one lossy step is the
 * RTX's own: `show config` prints login and administrator passwords as `*`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ConfigModel } from '../../src/config/model.js';
import { readConfig } from '../../src/config/read-config.js';
import { showConfig } from '../../src/config/show-config/show-config.js';
import { repoRoot } from '../support/paths.js';
import { signature } from './support.js';

const now = new Date(Date.UTC(2024, 0, 2, 3, 4, 5));
const MASKED_SECRETS = new Set(['login password', 'administrator password', 'login user']);

/** The model as `show config` can show it: login secrets masked. */
function shownSignature(model: ConfigModel): string[] {
  return signature(model).map((entry) => {
    const [key, name, ...rest] = JSON.parse(entry) as [string, string, ...unknown[]];
    const params = rest[1] as Record<string, unknown>;
    if (MASKED_SECRETS.has(name) && params['secret'] !== undefined) rest[1] = { ...params, secret: { kind: 'masked' } };
    return JSON.stringify([key, name, ...rest]);
  }).sort();
}

function fixtureFiles(): string[] {
  const dirs = [join(repoRoot, 'test', 'config', 'fixtures'), join(repoRoot, 'test', 'fixtures', 'config', 'forms')];
  return dirs.flatMap((dir) => {
    try {
      return readdirSync(dir).filter((f) => /\.(conf|txt)$/.test(f)).map((f) => join(dir, f));
    } catch {
      return [];
    }
  });
}

describe('round trip over the fixtures', () => {
  const files = fixtureFiles();

  it('finds the fixtures', () => {
    expect(files.length).toBeGreaterThanOrEqual(5);
  });

  it.each(files.map((f) => [f.slice(repoRoot.length + 1), f]))('%s: show config reads back to the same model', (_, file) => {
    const first = readConfig(new Uint8Array(readFileSync(file)));
    const printed = showConfig(first.model, { now });
    const second = readConfig(printed);
    expect(second.problems).toEqual([]);
    expect(shownSignature(second.model)).toEqual(shownSignature(first.model));
    expect(showConfig(second.model, { now })).toBe(printed);
  });

  it('my fixtures are accepted without errors', () => {
    for (const file of files.filter((f) => f.includes(join('test', 'config', 'fixtures')))) {
      expect([file, readConfig(new Uint8Array(readFileSync(file))).problems]).toEqual([file, []]);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Random valid configs

/** Any printable ASCII value, typed in double quotes (the input side; the printer chooses its own). */
const quoted = (value: string): string => `"${value.replace(/[\\"]/g, '\\$&')}"`;
const printable = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...' !"#$%&\'()*+,-./0123456789:;<=>?@ABCXYZ[\\]^_`abcxyz{|}~'), minLength: min, maxLength: max });
const plainName = fc.stringMatching(/^[A-Za-z][A-Za-z0-9._-]{2,11}$/);
const gateway = fc.integer({ min: 1, max: 100 });
const octet = fc.integer({ min: 0, max: 255 });
const address = fc.tuple(octet, octet, octet, octet).map((o) => o.join('.'));
const onOff = fc.constantFrom('on', 'off');
const pick = <T>(...values: T[]) => fc.constantFrom(...values);

const globalLine: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(gateway, pick('3des-cbc', 'des-cbc', 'aes-cbc', 'AES-CBC')).map(([g, a]) => `ipsec ike encryption ${g} ${a}`),
  fc.tuple(gateway, pick('md5', 'sha')).map(([g, h]) => `ipsec ike hash ${g} ${h}`),
  fc.tuple(gateway, pick('modp768', 'modp1024'), fc.option(pick('modp768', 'modp1024'))).map(([g, a, b]) => `ipsec ike group ${g} ${a}${b ? ` ${b}` : ''}`),
  fc.tuple(gateway, printable(1, 20), fc.option(pick('key-id', 'fqdn', 'user-fqdn'))).map(([g, n, t]) => `ipsec ike remote name ${g} ${quoted(n)}${t ? ` ${t}` : ''}`),
  fc.tuple(gateway, plainName).map(([g, n]) => `ipsec ike local name ${g} ${n}`),
  fc.tuple(gateway, fc.oneof(printable(1, 30).map(quoted).map((t) => `text ${t}`), fc.uint8Array({ minLength: 1, maxLength: 16 }).map((b) => `0x${Buffer.from(b).toString('hex')}`), fc.constant('*'))).map(([g, k]) => `ipsec ike pre-shared-key ${g} ${k}`),
  fc.tuple(gateway, fc.oneof(address, fc.constant('any'))).map(([g, a]) => `ipsec ike remote address ${g} ${a}`),
  fc.tuple(gateway, address).map(([g, a]) => `ipsec ike local address ${g} ${a}`),
  fc.tuple(gateway, pick('on', 'off', 'auto'), fc.option(fc.tuple(pick('heartbeat', 'dpd'), fc.integer({ min: 1, max: 600 }), fc.integer({ min: 1, max: 50 })))).map(
    ([g, m, method]) => `ipsec ike keepalive use ${g} ${m}${method ? ` ${method[0]} ${method[1]} ${method[2]}` : ''}`,
  ),
  fc.tuple(pick('ipsec-sa', 'isakmp-sa', 'child-sa'), gateway, fc.integer({ min: 300, max: 691200 })).map(([s, g, t]) => `ipsec ike duration ${s} ${g} ${t}`),
  fc.tuple(gateway, onOff, fc.option(fc.integer({ min: 30, max: 100000 }))).map(([g, s, k]) => `ipsec ike nat-traversal ${g} ${s}${k ? ` keepalive=${k}` : ''}`),
  fc.tuple(gateway, fc.integer({ min: 1, max: 3 })).map(([g, t]) => `ipsec ike payload type ${g} ${t}`),
  fc.tuple(gateway, onOff, fc.option(fc.integer({ min: 1, max: 1000 }))).map(([g, s, group]) => `ipsec ike xauth request ${g} ${s}${group ? ` ${group}` : ''}`),
  fc.tuple(gateway, fc.integer({ min: 1, max: 65535 })).map(([g, p]) => `ipsec ike mode-cfg address ${g} ${p}`),
  fc.tuple(gateway, pick('pfs', 'send info', 'always-on', 'esp-encapsulation', 'keepalive log', 'negotiate-strictly'), onOff).map(([g, n, s]) => `ipsec ike ${n} ${g} ${s}`),
  fc.tuple(fc.option(gateway), onOff).map(([g, s]) => `ipsec auto refresh ${g ?? ''} ${s}`),
  fc.tuple(fc.integer({ min: 1, max: 9999 }), gateway, pick('3des-cbc', 'aes-cbc'), pick('sha-hmac', 'md5-hmac')).map(([p, g, e, a]) => `ipsec sa policy ${p} ${g} esp ${e} ${a}`),
  fc.tuple(fc.integer({ min: 1, max: 65535 }), address).map(([p, a]) => `ipsec ike mode-cfg address pool ${p} ${a}/32`),
  fc.tuple(fc.integer({ min: 1, max: 1000 }), plainName, printable(3, 20)).map(([u, n, p]) => `auth user ${u} ${n} ${quoted(p)}`),
  fc.tuple(fc.integer({ min: 1, max: 1000 }), fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 4 })).map(([g, m]) => `auth user group ${g} ${m.join(' ')}`),
  fc.tuple(fc.integer({ min: 1, max: 1000 }), onOff, fc.option(address)).map(([g, s, d]) => `auth user group attribute ${g} xauth=${s}${d ? ` xauth-dns=${d}` : ''}`),
  fc.tuple(fc.integer({ min: 1, max: 1000 }), onOff).map(([u, s]) => `auth user attribute ${u} xauth=${s}`),
  fc.tuple(fc.oneof(fc.constant('default'), address.map((a) => `${a}/24`)), fc.oneof(address, gateway.map((t) => `tunnel ${t}`)), fc.boolean()).map(
    ([d, g, hide]) => `ip route ${d} gateway ${g}${hide ? ' hide' : ''}`,
  ),
  fc.tuple(fc.integer({ min: 1, max: 3 }), address, fc.integer({ min: 8, max: 30 })).map(([l, a, m]) => `ip lan${l} address ${a}/${m}`),
  fc.tuple(fc.integer({ min: 1, max: 3 }), onOff).map(([l, s]) => `ip lan${l} proxyarp ${s}`),
  fc.tuple(fc.integer({ min: 1, max: 21474836 }), pick('pass', 'reject', 'restrict-log'), pick('*', '10.0.0.0/8')).map(([n, a, s]) => `ip filter ${n} ${a} ${s} * udp * 500`),
  fc.array(address, { minLength: 1, maxLength: 4 }).map((hosts) => `syslog host ${hosts.join(' ')}`),
  fc.tuple(pick('debug', 'info', 'notice'), onOff).map(([l, s]) => `syslog ${l} ${s}`),
  printable(0, 20).map((p) => `console prompt ${quoted(p)}`),
  pick('console character ascii', 'console character sjis', 'console lines infinity', 'timezone utc', 'login password *', 'administrator password encrypted *'),
  fc.tuple(pick('enable', 'disable'), fc.oneof(gateway.map(String), fc.constant('all'))).map(([e, t]) => `tunnel ${e} ${t}`),
  fc.tuple(gateway).map(([g]) => `no ipsec ike encryption ${g}`),
);

const tunnelLine: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: 1, max: 9999 }).map((p) => ` ipsec tunnel ${p}`),
  pick(' ip tunnel tcp mss limit auto', ' tunnel encapsulation ipsec', ' ipsec tunnel outer df-bit clear'),
  fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 3 }).map((t) => ` tunnel template ${t.join(' ')}`),
);

const ppLine: fc.Arbitrary<string> = fc.integer({ min: 64, max: 1500 }).map((mtu) => ` ip pp mtu ${mtu}`);

const block: fc.Arbitrary<string[]> = fc.oneof(
  { weight: 6, arbitrary: globalLine.map((l) => [l]) },
  { weight: 2, arbitrary: fc.tuple(gateway, fc.array(fc.oneof(tunnelLine, globalLine), { minLength: 1, maxLength: 5 })).map(([t, ls]) => [`tunnel select ${t}`, ...ls, 'tunnel select none']) },
  { weight: 1, arbitrary: fc.tuple(fc.oneof(fc.integer({ min: 1, max: 150 }).map(String), fc.constant('anonymous')), fc.array(ppLine, { minLength: 1, maxLength: 2 })).map(([p, ls]) => [`pp select ${p}`, ...ls, 'no pp select']) },
);

describe('round trip over random valid configs (property)', () => {
  it('show config, read back, gives the same model; printing again gives the same text', () => {
    fc.assert(
      fc.property(fc.array(block, { minLength: 1, maxLength: 25 }), (blocks) => {
        const text = `${blocks.flat().join('\n')}\n`;
        const first = readConfig(text);
        expect(first.problems).toEqual([]);
        const printed = showConfig(first.model, { now });
        const second = readConfig(printed);
        expect(second.problems).toEqual([]);
        expect(shownSignature(second.model)).toEqual(shownSignature(first.model));
        expect(showConfig(second.model, { now })).toBe(printed);
      }),
      { numRuns: 200 },
    );
  });
});
