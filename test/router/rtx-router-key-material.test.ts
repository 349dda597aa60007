// onKeyMaterial: every key the router derives, in Wireshark's formats, the same records `--keys`
// writes; and kept apart from the events, so that no listener of every event gets a key.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connectClient } from '../../src/initiator/connect-client.js';
import { espSaFilePath } from '../../src/router/esp-sa-file.js';
import { ROUTER_EVENT_TYPES, type KeyMaterialRecord } from '../../src/router/rtx-router-api.js';
import { startRtxRouter, type RtxRouter } from '../../src/router/rtx-router.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const lines = (path: string) => readFileSync(path, 'utf8').split('\n').filter((line) => line !== '');

describe('RtxRouter.onKeyMaterial', () => {
  it('hands over the ISAKMP SA\'s decryption-table record and the ESP pair\'s esp_sa records, as --keys writes them, and no other event carries them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rtxlab-key-material-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const keysFile = join(dir, 'keys.txt');
    const router: RtxRouter = await startRtxRouter({ ikePort: 0, nattPort: 0, keysFile });
    cleanups.push(() => router.stop());
    const records: KeyMaterialRecord[] = [];
    router.onKeyMaterial((record) => records.push(record));
    const events: string[] = [];
    // Every event but log lines: the seed turns on `ipsec ike log ... key-info`, with which the RTX itself logs derived keys.
    for (const type of ROUTER_EVENT_TYPES.filter((type) => type !== 'log')) router.on(type, (event) => events.push(JSON.stringify(event, (_key, value: unknown) => (value instanceof Buffer || (value as { type?: string })?.type === 'Buffer' ? Buffer.from(value as Buffer).toString('hex') : value))));

    const client = await connectClient({ gateway: router.listening!, whenEstablished: 'delete', timing: { message3QuietMs: 300 } });
    expect(client.outcome).toBe('established');
    await router.waitFor('ipsec-sa-down', undefined, 5_000).catch(() => undefined);

    const ike = records.filter((record) => record.kind === 'ikev1');
    const esp = records.filter((record) => record.kind === 'esp');
    expect(ike.map((record) => record.decryptionTableLine)).toEqual(lines(keysFile));
    expect(esp.flatMap((record) => record.espSaLines)).toEqual(lines(espSaFilePath(keysFile)));
    expect(ike).toHaveLength(1);
    expect(esp).toHaveLength(1);
    const secrets = [...ike.map((record) => record.decryptionTableLine.split(',')[1]!), ...esp.flatMap((record) => record.espSaLines.map((line) => line.split(',')[5]!.replace(/"/g, '').replace(/^0x/, '')))];
    for (const secret of secrets) expect(events.filter((event) => event.includes(secret))).toEqual([]);
  });

  it('stops handing them over once unsubscribed', async () => {
    const router = await startRtxRouter({ ikePort: 0, nattPort: 0 });
    cleanups.push(() => router.stop());
    const records: KeyMaterialRecord[] = [];
    const off = router.onKeyMaterial((record) => records.push(record));
    off();
    const client = await connectClient({ gateway: router.listening!, whenEstablished: 'delete', timing: { message3QuietMs: 300 } });
    expect(client.outcome).toBe('established');
    expect(records).toEqual([]);
  });
});
