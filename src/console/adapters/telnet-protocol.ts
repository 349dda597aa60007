/**
 * The telnet protocol as the RTX's telnetd speaks it (RFC 854, 855, 857 ECHO, 858 SUPPRESS-GO-AHEAD,
 * 1073 NAWS): no sockets here, bytes in and bytes out. The server offers to echo and to suppress
 * go-ahead (so the client sends every key as typed, and the console engine echoes and edits), and
 * asks for the window size. Every other option is refused. Data bytes 255 travel as IAC IAC both
 * ways; a bare CR going out is sent as CR NUL (RFC 854, the NVT's end of line rules).
 *
 * Hostile input: each option is refused at most once per direction (RFC 1143's rule that a
 * refusal is not repeated for a state that did not change), so a flood of `IAC DO x` costs one
 * answer per option, not one per request; a subnegotiation longer than any the server reads is
 * cut, its excess dropped.
 */

export const IAC = 255;
export const DONT = 254;
export const DO = 253;
export const WONT = 252;
export const WILL = 251;
export const SB = 250;
export const SE = 240;

export const OPTION_ECHO = 1;
export const OPTION_SUPPRESS_GO_AHEAD = 3;
export const OPTION_NAWS = 31;

/** NAWS carries 4 bytes; anything longer than this is not a subnegotiation the server reads. */
const MAX_SUBNEGOTIATION = 64;

export interface TelnetWindowSize {
  readonly columns: number;
  readonly rows: number;
}

/** What decoded input holds: the user's bytes, and the window size when the client reported one. */
export interface TelnetInput {
  readonly data: Buffer;
  readonly window?: TelnetWindowSize;
}

type DecoderState = 'data' | 'iac' | 'option' | 'sb' | 'sb-iac';

/** The opening the server sends at connect: WILL ECHO, WILL SUPPRESS-GO-AHEAD, DO NAWS. */
export function telnetOpening(): Buffer {
  return Buffer.from([IAC, WILL, OPTION_ECHO, IAC, WILL, OPTION_SUPPRESS_GO_AHEAD, IAC, DO, OPTION_NAWS]);
}

/** The server's side of one connection: decodes what the client sends, answers its negotiation. */
export class TelnetServerProtocol {
  private state: DecoderState = 'data';
  private verb = 0;
  private subnegotiation: number[] = [];
  /** Options the server performs (WILL): ECHO and SGA until the client says DONT. */
  private readonly serverEnabled = new Set<number>([OPTION_ECHO, OPTION_SUPPRESS_GO_AHEAD]);
  /** Options the client performs (after our DO): NAWS once it says WILL. */
  private readonly clientEnabled = new Set<number>();
  private readonly refusedForServer = new Set<number>();
  private readonly refusedForClient = new Set<number>();
  /** The last byte of the previous data was CR: a following NUL or LF belongs to it. */
  private afterCr = false;

  /** `send` carries the negotiation answers back to the client. */
  constructor(private readonly send: (bytes: Buffer) => void) {}

  /** Decodes bytes from the client: the data, and the window size if it changed. */
  receive(bytes: Uint8Array): TelnetInput {
    const data: number[] = [];
    let window: TelnetWindowSize | undefined;
    for (const byte of bytes) {
      switch (this.state) {
        case 'data':
          if (byte === IAC) this.state = 'iac';
          else this.dataByte(byte, data);
          break;
        case 'iac':
          if (byte === IAC) {
            this.dataByte(IAC, data);
            this.state = 'data';
          } else if (byte === DO || byte === DONT || byte === WILL || byte === WONT) {
            this.verb = byte;
            this.state = 'option';
          } else if (byte === SB) {
            this.subnegotiation = [];
            this.state = 'sb';
          } else {
            // NOP, GA, AYT, IP, BRK, EC, EL, DM: nothing the console acts on.
            this.state = 'data';
          }
          break;
        case 'option':
          this.negotiate(this.verb, byte);
          this.state = 'data';
          break;
        case 'sb':
          if (byte === IAC) this.state = 'sb-iac';
          else this.subnegotiationByte(byte);
          break;
        case 'sb-iac':
          if (byte === SE) {
            window = this.endSubnegotiation() ?? window;
            this.state = 'data';
          } else {
            // IAC IAC inside SB is a 255 of the parameters (RFC 855).
            if (byte === IAC) this.subnegotiationByte(IAC);
            this.state = 'sb';
          }
          break;
      }
    }
    return window === undefined ? { data: Buffer.from(data) } : { data: Buffer.from(data), window };
  }

  /**
   * CR NUL is Enter as the NVT sends it (RFC 854): the console sees the CR alone. CR LF goes
   * through whole; the console's line editor treats it as one Enter.
   */
  private dataByte(byte: number, data: number[]): void {
    const wasAfterCr = this.afterCr;
    this.afterCr = byte === 13;
    if (wasAfterCr && byte === 0) return;
    data.push(byte);
  }

  private subnegotiationByte(byte: number): void {
    if (this.subnegotiation.length < MAX_SUBNEGOTIATION) this.subnegotiation.push(byte);
  }

  private endSubnegotiation(): TelnetWindowSize | undefined {
    const [option, ...parameters] = this.subnegotiation;
    this.subnegotiation = [];
    if (option !== OPTION_NAWS || parameters.length !== 4) return undefined;
    const [w1 = 0, w0 = 0, h1 = 0, h0 = 0] = parameters;
    const columns = (w1 << 8) | w0;
    const rows = (h1 << 8) | h0;
    // Zero means "unknown" (RFC 1073): keep what the console has.
    return columns > 0 && rows > 0 ? { columns, rows } : undefined;
  }

  private negotiate(verb: number, option: number): void {
    switch (verb) {
      case DO:
        if (this.serverEnabled.has(option)) return; // an acknowledgement of our WILL
        this.refuseOnce(this.refusedForServer, WONT, option);
        return;
      case DONT:
        if (this.serverEnabled.delete(option)) this.reply(WONT, option);
        return;
      case WILL:
        // NAWS: the answer to our DO (or a repeat of it), acknowledged by saying nothing.
        if (option === OPTION_NAWS) this.clientEnabled.add(OPTION_NAWS);
        else this.refuseOnce(this.refusedForClient, DONT, option);
        return;
      case WONT:
        // Our DO NAWS refused: nothing is due. NAWS switched off after it was on: acknowledged.
        if (this.clientEnabled.delete(option)) this.reply(DONT, option);
        return;
    }
  }

  private refuseOnce(refused: Set<number>, verb: number, option: number): void {
    if (refused.has(option)) return;
    refused.add(option);
    this.reply(verb, option);
  }

  private reply(verb: number, option: number): void {
    this.send(Buffer.from([IAC, verb, option]));
  }
}

/**
 * Console output as telnet data: 255 doubled (IAC IAC), a CR not followed by LF sent as CR NUL
 * (RFC 854). The console writes its line ends as CR LF in one piece.
 */
export function encodeTelnetData(bytes: Uint8Array): Buffer {
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] ?? 0;
    if (byte === IAC) out.push(IAC, IAC);
    else if (byte === 13 && bytes[i + 1] !== 10) out.push(13, 0);
    else out.push(byte);
  }
  return Buffer.from(out);
}
