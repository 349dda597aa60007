/**
 * Reader for `swanctl --pretty` output: vici messages printed as `name {` sections,
 * `key = value` lines and `key = [` lists, one item per line, closed by `}` / `]`.
 */
export type ViciValue = string | string[] | ViciSection;
export interface ViciSection {
  [key: string]: ViciValue;
}

/** One top-level message, e.g. `list-sa event` (one per IKE SA) or `list-sas reply`. */
export interface ViciMessage {
  name: string;
  body: ViciSection;
}

export function parsePrettyVici(text: string): ViciMessage[] {
  const messages: ViciMessage[] = [];
  const stack: ViciSection[] = [];
  let list: string[] | undefined;
  for (const [index, rawLine] of text.split('\n').entries()) {
    const line = rawLine.trim();
    if (line === '') continue;
    const fail = () => new Error(`swanctl --pretty line ${index + 1} not understood: ${rawLine}`);
    if (list !== undefined) {
      if (line === ']') list = undefined;
      else list.push(line);
      continue;
    }
    const opening = /^(.+?) \{$/.exec(line);
    if (opening) {
      const section: ViciSection = {};
      const parent = stack.at(-1);
      if (parent === undefined) messages.push({ name: opening[1]!, body: section });
      else parent[opening[1]!] = section;
      stack.push(section);
      continue;
    }
    if (line === '}') {
      if (stack.pop() === undefined) throw fail();
      continue;
    }
    const current = stack.at(-1);
    const listStart = /^(\S+) = \[$/.exec(line);
    const pair = /^(\S+) = (.*)$/.exec(line);
    if (current === undefined) throw fail();
    if (listStart) current[listStart[1]!] = list = [];
    else if (pair) current[pair[1]!] = pair[2]!;
    else throw fail();
  }
  return messages;
}

export interface ChildSaState {
  name: string;
  state: string;
  mode: string;
  protocol: string;
  encap: boolean;
  spiIn: string;
  spiOut: string;
  encryption: string;
  integrity: string;
  localTs: string[];
  remoteTs: string[];
  packetsIn: number;
  packetsOut: number;
  raw: ViciSection;
}

export interface IkeSaState {
  name: string;
  state: string;
  version: number;
  initiator: boolean;
  localHost: string;
  localPort: number;
  localId: string;
  remoteHost: string;
  remotePort: number;
  remoteId: string;
  initiatorSpi: string;
  responderSpi: string;
  encryption: string;
  integrity: string;
  prf: string;
  dhGroup: string;
  localVips: string[];
  remoteVips: string[];
  childSas: ChildSaState[];
  raw: ViciSection;
}

const text = (section: ViciSection, key: string): string => {
  const value = section[key];
  return typeof value === 'string' ? value : '';
};
const list = (section: ViciSection, key: string): string[] => {
  const value = section[key];
  return Array.isArray(value) ? value : [];
};
const sections = (section: ViciSection, key: string): Array<[string, ViciSection]> => {
  const value = section[key];
  if (value === undefined || typeof value === 'string' || Array.isArray(value)) return [];
  return Object.entries(value).filter((entry): entry is [string, ViciSection] => typeof entry[1] === 'object' && !Array.isArray(entry[1]));
};

function toChildSa(name: string, raw: ViciSection): ChildSaState {
  return {
    name: text(raw, 'name') || name,
    state: text(raw, 'state'),
    mode: text(raw, 'mode'),
    protocol: text(raw, 'protocol'),
    encap: text(raw, 'encap') === 'yes',
    spiIn: text(raw, 'spi-in'),
    spiOut: text(raw, 'spi-out'),
    encryption: text(raw, 'encr-alg'),
    integrity: text(raw, 'integ-alg'),
    localTs: list(raw, 'local-ts'),
    remoteTs: list(raw, 'remote-ts'),
    packetsIn: Number(text(raw, 'packets-in') || 0),
    packetsOut: Number(text(raw, 'packets-out') || 0),
    raw,
  };
}

/** The IKE SAs of `swanctl --list-sas --pretty`, each with its CHILD_SAs. */
export function parseListSas(output: string): IkeSaState[] {
  return parsePrettyVici(output)
    .filter((message) => message.name === 'list-sa event')
    .flatMap((message) => Object.entries(message.body))
    .filter((entry): entry is [string, ViciSection] => typeof entry[1] === 'object' && !Array.isArray(entry[1]))
    .map(([name, raw]) => ({
      name,
      state: text(raw, 'state'),
      version: Number(text(raw, 'version')),
      initiator: text(raw, 'initiator') === 'yes',
      localHost: text(raw, 'local-host'),
      localPort: Number(text(raw, 'local-port')),
      localId: text(raw, 'local-id'),
      remoteHost: text(raw, 'remote-host'),
      remotePort: Number(text(raw, 'remote-port')),
      remoteId: text(raw, 'remote-id'),
      initiatorSpi: text(raw, 'initiator-spi'),
      responderSpi: text(raw, 'responder-spi'),
      encryption: text(raw, 'encr-alg'),
      integrity: text(raw, 'integ-alg'),
      prf: text(raw, 'prf-alg'),
      dhGroup: text(raw, 'dh-group'),
      localVips: list(raw, 'local-vips'),
      remoteVips: list(raw, 'remote-vips'),
      childSas: sections(raw, 'child-sas').map(([childName, child]) => toChildSa(childName, child)),
      raw,
    }));
}
