/**
 * Value checks shared by the config-engine families (ip, ipsec, tunnel, auth, syslog, console):
 * each returns a ValidationProblem naming the RTX error, or undefined when the value is fine.
 */
import type { ParsedCommand, ValidationProblem } from '../family.js';
import type { ConfigToken } from '../tokenize.js';

export type Check = ValidationProblem | undefined;

/** The first problem of a list of checks. */
export const firstProblem = (...checks: Check[]): Check => checks.find((c) => c !== undefined);

export const inRange = (value: number | undefined, min: number, max: number, what: string): Check =>
  value === undefined || (Number.isInteger(value) && value >= min && value <= max)
    ? undefined
    : { error: 'parameter-out-of-range', detail: `${what} must be ${min}..${max}` };

export const lengthBetween = (text: string | undefined, min: number, max: number, what: string): Check =>
  text === undefined || (text.length >= min && text.length <= max)
    ? undefined
    : { error: 'parameter-out-of-range', detail: `${what} must be ${min}..${max} characters` };

export const illegal = (detail: string): ValidationProblem => ({ error: 'illegal-keyword', detail });

/** Dotted mask or prefix length -> prefix length; undefined when the mask has holes. */
export function prefixLengthOf(mask: string): number | undefined {
  if (/^\d+$/.test(mask)) {
    const length = Number(mask);
    return length <= 32 ? length : undefined;
  }
  const octets = mask.split('.').map(Number);
  if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255)) return undefined;
  const bits = octets.map((o) => o.toString(2).padStart(8, '0')).join('');
  return /^1*0*$/.test(bits) ? bits.indexOf('0') === -1 ? 32 : bits.indexOf('0') : undefined;
}

export const validMask = (mask: string | undefined, what: string): Check =>
  mask === undefined || prefixLengthOf(mask) !== undefined
    ? undefined
    : { error: 'unrecognized-ip-address', detail: `${what}: bad mask ${mask}` };

/** IPv4 dotted quad -> 32-bit unsigned number. */
export function ipv4ToNumber(address: string): number {
  return address.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

export function numberToIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** `a-b`: checks the first address is not above the last one. */
export const orderedRange = (first: string, last: string | undefined, what: string): Check =>
  last === undefined || ipv4ToNumber(first) <= ipv4ToNumber(last)
    ? undefined
    : { error: 'parameter-out-of-range', detail: `${what}: ${first} is above ${last}` };

/** `N` or `N-M` -> [N, M]. */
export function parseIdRange(text: string): [number, number] {
  const [from, to] = text.split('-');
  return [Number(from), Number(to ?? from)];
}

export const idRangeWithin = (text: string, min: number, max: number, what: string): Check => {
  const [from, to] = parseIdRange(text);
  return firstProblem(inRange(from, min, max, what), inRange(to, min, max, what)) ??
    (from <= to ? undefined : { error: 'parameter-out-of-range', detail: `${what}: ${text} is reversed` });
};

/** Typed access to a command's params once its name is known (the grammar is the source). */
export function paramsAs<T>(command: ParsedCommand): T {
  return command.params as T;
}

/** Identity: the first parameter word when it is an integer, else none (`ipsec auto refresh [gw] sw`). */
export const leadingIntegerIdentity = (words: readonly ConfigToken[]): readonly string[] => {
  const first = words[0];
  return first !== undefined && /^\d+$/.test(first.value) ? [first.value] : [];
};

/** Identity: a fixed number of leading words, undefined when the line has fewer. */
export const leadingWords =
  (count: number) =>
  (words: readonly ConfigToken[]): readonly string[] | undefined =>
    words.length < count ? undefined : words.slice(0, count).map((w) => w.text);
