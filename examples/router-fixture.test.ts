import { afterAll, expect, it } from 'vitest';
import { startRtxRouter, connectClient, DEFAULT_CONFIG_TEXT } from 'rtxlab';

const router = await startRtxRouter({ config: { text: DEFAULT_CONFIG_TEXT }, ikePort: 0, nattPort: 0 });
afterAll(() => router.stop());

it('my client gets an address from the pool and a tunnel', async () => {
  const up = router.waitFor('tunnel-up');
  const client = await connectClient({ gateway: router.listening! }); // or start your own client
  expect((await up).sa.internalAddress).toBe('10.1.1.110');
  expect(router.ipsecState().totals).toEqual({ isakmp: 1, send: 1, recv: 1 });
  router.apply('ipsec ike mode-cfg address pool 1 10.1.1.200-10.1.1.210/32'); // the next client's pool
  await client.tunnel?.close();
});
