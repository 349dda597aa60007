import { describe, expect, it } from 'vitest';
import {
  DO,
  DONT,
  encodeTelnetData,
  IAC,
  OPTION_ECHO,
  OPTION_NAWS,
  SB,
  SE,
  telnetOpening,
  TelnetServerProtocol,
  WILL,
  WONT,
} from '../../../src/console/adapters/telnet-protocol.js';

function protocol() {
  const answers: number[] = [];
  const telnet = new TelnetServerProtocol((bytes) => answers.push(...bytes));
  return { telnet, answers };
}

describe('telnet protocol (RFC 854/855/857/858/1073)', () => {
  it('opens with WILL ECHO, WILL SUPPRESS-GO-AHEAD and DO NAWS', () => {
    expect([...telnetOpening()]).toEqual([IAC, WILL, 1, IAC, WILL, 3, IAC, DO, 31]);
  });

  it('takes the acknowledgements of its own offers without answering them', () => {
    const { telnet, answers } = protocol();
    const input = telnet.receive(Buffer.from([IAC, DO, OPTION_ECHO, IAC, DO, 3, IAC, WILL, OPTION_NAWS]));
    expect(input.data.length).toBe(0);
    expect(answers).toEqual([]);
  });

  it('reads the window size from NAWS, a 255 in it doubled', () => {
    const { telnet } = protocol();
    expect(telnet.receive(Buffer.from([IAC, SB, OPTION_NAWS, 0, 132, 0, 40, IAC, SE])).window).toEqual({ columns: 132, rows: 40 });
    expect(telnet.receive(Buffer.from([IAC, SB, OPTION_NAWS, 0, IAC, IAC, 0, 50, IAC, SE])).window).toEqual({ columns: 255, rows: 50 });
  });

  it('refuses options it does not have, once each however often they are asked', () => {
    const { telnet, answers } = protocol();
    const flood = Buffer.alloc(3 * 1000);
    for (let i = 0; i < 1000; i++) flood.set([IAC, i % 2 === 0 ? DO : WILL, 24], i * 3); // TERMINAL-TYPE
    telnet.receive(flood);
    expect(answers).toEqual([IAC, WONT, 24, IAC, DONT, 24]);
  });

  it('acknowledges NAWS switched off with DONT NAWS, and says nothing to a refusal of its DO NAWS', () => {
    const switchedOff = protocol();
    switchedOff.telnet.receive(Buffer.from([IAC, WILL, OPTION_NAWS, IAC, WONT, OPTION_NAWS]));
    expect(switchedOff.answers).toEqual([IAC, DONT, OPTION_NAWS]);
    const refused = protocol();
    refused.telnet.receive(Buffer.from([IAC, WONT, OPTION_NAWS]));
    expect(refused.answers).toEqual([]);
  });

  it('answers DONT ECHO with WONT ECHO, once', () => {
    const { telnet, answers } = protocol();
    telnet.receive(Buffer.from([IAC, DONT, OPTION_ECHO, IAC, DONT, OPTION_ECHO]));
    expect(answers).toEqual([IAC, WONT, OPTION_ECHO]);
  });

  it('passes data through, IAC IAC as one 255, CR NUL as CR, CR LF whole, other commands dropped', () => {
    const { telnet } = protocol();
    const input = telnet.receive(Buffer.from([0x61, IAC, IAC, 0x62, 13, 0, 0x63, 13, 10, IAC, 241 /* NOP */, IAC, 246 /* AYT */, 0x64]));
    expect([...input.data]).toEqual([0x61, 255, 0x62, 13, 0x63, 13, 10, 0x64]);
  });

  it('keeps state across reads (a command split between two packets)', () => {
    const { telnet, answers } = protocol();
    expect(telnet.receive(Buffer.from([0x61, IAC])).data.toString()).toBe('a');
    expect(telnet.receive(Buffer.from([DO])).data.length).toBe(0);
    expect(telnet.receive(Buffer.from([5, 0x62])).data.toString()).toBe('b');
    expect(answers).toEqual([IAC, WONT, 5]);
  });

  it('cuts an endless subnegotiation instead of holding it all', () => {
    const { telnet } = protocol();
    const long = Buffer.alloc(100_000, 7);
    long.set([IAC, SB, OPTION_NAWS]);
    expect(telnet.receive(long).data.length).toBe(0);
    expect(telnet.receive(Buffer.from([IAC, SE, 0x7a])).data.toString()).toBe('z');
  });

  it('escapes 255 and a bare CR on the way out', () => {
    expect([...encodeTelnetData(Buffer.from([0x41, 255, 13, 10, 13, 0x20, 13]))]).toEqual([0x41, 255, 255, 13, 10, 13, 0, 0x20, 13, 0]);
  });
});
