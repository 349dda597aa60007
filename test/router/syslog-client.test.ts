// Log lines go to the `syslog host` hosts as the RTX sends them: a real UDP receiver on loopback
// (ephemeral port, the rtxlab option `syslogPort`) gets them with the configured facility and
// the severities of their levels. Destinations outside loopback are refused by the outbound
// policy; those tests use a fake socket, so nothing could leave the host even if that failed.
import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { createOutboundPolicy } from '../../src/router/outbound-policy.js';
import { SyslogClient, type SyslogClientOptions, type SyslogDestinations, type SyslogSocket } from '../../src/router/syslog-client.js';

const LOOPBACK_ONLY = createOutboundPolicy({ allowOutbound: false, hostAddresses: [] });
const SETTINGS: SyslogDestinations = { hosts: ['127.0.0.1'], facility: 'local3', info: true, notice: true, debug: false };

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A syslog daemon on loopback: collects each datagram as text. */
async function receiver(address = '127.0.0.1', port = 0): Promise<{ port: number; packets: string[]; next(count: number): Promise<string[]> }> {
  const socket: Socket = createSocket('udp4');
  const packets: string[] = [];
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, address, () => resolve());
  });
  socket.on('message', (bytes) => packets.push(bytes.toString('utf8')));
  cleanups.push(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  return {
    port: socket.address().port,
    packets,
    async next(count) {
      for (let waited = 0; packets.length < count && waited < 2_000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
      return packets.slice(0, count);
    },
  };
}

function client(options: Partial<SyslogClientOptions> & { port?: number }): SyslogClient {
  const syslog = new SyslogClient({ settings: SETTINGS, policy: LOOPBACK_ONLY, ...options });
  cleanups.push(() => syslog.close());
  return syslog;
}

/** A socket that records what it is asked to send and sends nothing. */
function recordingSockets(behaviour: 'succeed' | 'never-answer' = 'succeed') {
  const sends: Array<{ type: string; address: string; port: number; packet: string }> = [];
  const createSocket = (type: 'udp4' | 'udp6'): SyslogSocket =>
    ({
      send: (packet: Buffer, port: number, address: string, callback: (error: Error | null) => void) => {
        sends.push({ type, address, port, packet: packet.toString() });
        if (behaviour === 'succeed') queueMicrotask(() => callback(null));
      },
      close: (callback?: () => void) => callback?.(),
      on: () => undefined,
      bind: () => undefined,
    }) as unknown as SyslogSocket;
  return { sends, createSocket };
}

describe('SyslogClient to a real receiver on 127.0.0.1', () => {
  it('sends the lines whose switch is on, with the configured facility and the level`s severity', async () => {
    const daemon = await receiver();
    const syslog = client({ port: daemon.port });
    syslog.send({ level: 'info', message: '[IKE] respond ISAKMP phase to 127.0.0.1' });
    syslog.send({ level: 'debug', message: '[IKE] a debug line (syslog debug off)' });
    syslog.send({ level: 'notice', message: 'IP Tunnel[1] Up' });
    await syslog.idle();
    // local3 = 19: info 19*8+6, notice 19*8+5; the debug line is not sent.
    expect(await daemon.next(2)).toEqual(['<158> [IKE] respond ISAKMP phase to 127.0.0.1', '<157> IP Tunnel[1] Up']);
    expect(syslog.counters).toEqual({ sent: 2, refused: 0, dropped: 0, failed: 0 });
  });

  it('follows live config: a new facility and `syslog debug on` apply to the next lines', async () => {
    const daemon = await receiver();
    const syslog = client({ port: daemon.port });
    syslog.send({ level: 'info', message: 'before' });
    syslog.reconfigure({ ...SETTINGS, facility: 'user', debug: true, info: false });
    syslog.send({ level: 'info', message: 'info is off now' });
    syslog.send({ level: 'debug', message: 'after' });
    await syslog.idle();
    expect(await daemon.next(2)).toEqual(['<158> before', '<15> after']);
  });

  it('sends each line to every host (127.0.0.1 and 127.0.0.2 here)', async () => {
    const first = await receiver('127.0.0.1');
    const second = await receiver('127.0.0.2', first.port);
    const syslog = client({ port: first.port, settings: { ...SETTINGS, hosts: ['127.0.0.1', '127.0.0.2'] } });
    syslog.send({ level: 'info', message: 'both' });
    await syslog.idle();
    expect([await first.next(1), await second.next(1)]).toEqual([['<158> both'], ['<158> both']]);
  });

  it('close releases the socket; lines after it are ignored', async () => {
    const daemon = await receiver();
    const udpSockets = () => process.getActiveResourcesInfo().filter((name) => name === 'UDPWrap').length;
    // node frees a closed socket's handle on a later loop turn: let earlier tests' sockets go.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const before = udpSockets();
    const syslog = client({ port: daemon.port });
    syslog.send({ level: 'info', message: 'one' });
    await syslog.idle();
    expect(udpSockets()).toBe(before + 1);
    await syslog.close();
    await syslog.close();
    syslog.send({ level: 'info', message: 'after close' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(udpSockets()).toBe(before);
    expect(daemon.packets).toEqual(['<158> one']);
  });
});

describe('SyslogClient and the outbound policy', () => {
  it('a host outside loopback is refused, said once, and never handed to a socket', async () => {
    const notices: string[] = [];
    const sockets = recordingSockets();
    const syslog = client({ settings: { ...SETTINGS, hosts: ['192.0.2.1', '127.0.0.1'] }, createSocket: sockets.createSocket, onNotice: (notice) => notices.push(notice) });
    for (const message of ['one', 'two', 'three']) syslog.send({ level: 'info', message });
    await syslog.idle();
    expect(sockets.sends.map((send) => `${send.address}:${send.port} ${send.packet}`)).toEqual(['127.0.0.1:514 <158> one', '127.0.0.1:514 <158> two', '127.0.0.1:514 <158> three']);
    expect(notices).toEqual(["syslog to 192.0.2.1 not sent: rtxlab sends only to loopback and this host's own addresses unless started with --allow-outbound"]);
    expect(syslog.counters).toMatchObject({ sent: 3, refused: 3 });
  });

  it('a host name is not even looked up without --allow-outbound', async () => {
    const lookedUp: string[] = [];
    const sockets = recordingSockets();
    const notices: string[] = [];
    const syslog = client({
      settings: { ...SETTINGS, hosts: ['syslog.example'] },
      createSocket: sockets.createSocket,
      lookup: async (host) => (lookedUp.push(host), '127.0.0.1'),
      onNotice: (notice) => notices.push(notice),
    });
    syslog.send({ level: 'info', message: 'x' });
    await syslog.idle();
    expect({ lookedUp, sends: sockets.sends.length, notices: notices.length }).toEqual({ lookedUp: [], sends: 0, notices: 1 });
  });

  it('with --allow-outbound a host name is looked up once and the line goes to its address', async () => {
    const daemon = await receiver();
    const lookedUp: string[] = [];
    const syslog = client({
      port: daemon.port,
      policy: createOutboundPolicy({ allowOutbound: true, hostAddresses: [] }),
      settings: { ...SETTINGS, hosts: ['logs.lab.example'] },
      lookup: async (host) => (lookedUp.push(host), '127.0.0.1'),
    });
    syslog.send({ level: 'info', message: 'by name' });
    syslog.send({ level: 'notice', message: 'again' });
    await syslog.idle();
    expect(await daemon.next(2)).toEqual(['<158> by name', '<157> again']);
    expect(lookedUp).toEqual(['logs.lab.example']);
  });
});

describe('SyslogClient never throws and stays bounded', () => {
  it('when sends back up, lines beyond maxInFlight are dropped and counted', () => {
    const sockets = recordingSockets('never-answer');
    const syslog = client({ createSocket: sockets.createSocket, maxInFlight: 3 });
    for (let index = 0; index < 10; index++) syslog.send({ level: 'info', message: `line ${index}` });
    expect(sockets.sends).toHaveLength(3);
    expect(syslog.counters).toMatchObject({ sent: 0, dropped: 7 });
  });

  it('a socket that throws or fails: counted, said once per host until a send succeeds', async () => {
    let mode: 'throw' | 'fail' | 'ok' = 'throw';
    const notices: string[] = [];
    const socket = {
      send: (_packet: Buffer, _port: number, _address: string, callback: (error: Error | null) => void) => {
        if (mode === 'throw') throw new Error('Not running');
        queueMicrotask(() => callback(mode === 'fail' ? new Error('send EPERM') : null));
      },
      close: (callback?: () => void) => callback?.(),
      on: () => undefined,
      bind: () => undefined,
    } as unknown as SyslogSocket;
    const syslog = client({ createSocket: () => socket, onNotice: (notice) => notices.push(notice) });
    syslog.send({ level: 'info', message: 'a' });
    syslog.send({ level: 'info', message: 'b' });
    mode = 'ok';
    syslog.send({ level: 'info', message: 'c' });
    await syslog.idle();
    mode = 'fail';
    syslog.send({ level: 'info', message: 'd' });
    syslog.send({ level: 'info', message: 'e' });
    await syslog.idle();
    expect(notices).toEqual(['syslog to 127.0.0.1:514 failed: Not running', 'syslog to 127.0.0.1:514 failed: send EPERM']);
    expect(syslog.counters).toEqual({ sent: 1, refused: 0, dropped: 0, failed: 4 });
  });

  it('a notice listener that throws does not reach the caller', () => {
    const syslog = client({
      settings: { ...SETTINGS, hosts: ['192.0.2.1'] },
      createSocket: recordingSockets().createSocket,
      onNotice: () => {
        throw new Error('listener bug');
      },
    });
    expect(() => syslog.send({ level: 'info', message: 'x' })).not.toThrow();
  });
});
