// Generates the command catalogue from Yamaha's command reference (one syntax line per TSV row):
//   src/config/catalogue/syntax-lines.ts  every configuration syntax line with its derived name
//   src/config/catalogue/names.ts         the distinct command names (what the router needs at run time)
//   grammar/catalogue.ne                  a nearley grammar recognising every name (name-only parse)
//   src/config/catalogue/identities.ts    per name, the identifying words its `no` form names (keys)
// Both outputs are committed: the build never needs ../shared. Run again after the TSV changes:
//   node scripts/gen-catalogue.mjs [path/to/rtx-command-catalogue.tsv]
// The derivation rules (which rows, how a name is read from `syntax_marked`, which marking errors
// are repaired) are documented in docs/catalogue.md; keep the two in step.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsvPath = process.argv[2] ?? join(root, '..', 'shared', 'reference', 'rtx-command-catalogue.tsv');

/** Chapters that hold no configuration commands (display, operation, help, logs, diagnosis). */
const NON_CONFIGURATION_CHAPTERS = new Set(['操作', '設定の表示', '状態の表示', 'ヘルプ', 'ロギング', '診断']);

/**
 * Marking errors the rules below cannot repair, found by reading the printed reference: the
 * marked syntax is replaced by the one given here (keyed by section and the syntax as printed).
 */
const MARKED_OVERRIDES = new Map([
  // The no-forms (`no pp auth request [auth[arrive-only]]`, …) show that the last word is a parameter.
  ['11.3|pp auth request auth [arrive-only]', 'pp auth request <auth> [arrive-only]'],
  ['28.4|ospf router id router-id', 'ospf router id <router-id>'],
  ['31.3|ipv6 ospf router id router-id', 'ipv6 ospf router id <router-id>'],
  ['44.24|mobile arrive permit arrive', 'mobile arrive permit <arrive>'],
  ['48.2.1|switch select switch', 'switch select <switch>'],
  // `no ospf merge equal cost stub`: the first `merge` is a keyword (rule 3 looks only 3 tokens ahead).
  ['28.15|ospf merge equal cost stub merge', 'ospf merge equal cost stub <merge>'],
]);

// ---------------------------------------------------------------------------------------------
// 1. Rows

function readRows(path) {
  const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l.length > 0);
  const header = lines.shift().split('\t');
  const at = (name) => header.indexOf(name);
  const rows = lines.map((line) => {
    const f = line.split('\t');
    return {
      chapter: f[at('chapter')],
      section: f[at('section')],
      title: f[at('title')],
      syntax: f[at('syntax')],
      marked: f[at('syntax_marked')],
      models: (f[at('models')] ?? '').trim(),
    };
  });
  return joinWrappedRows(rows);
}

const bracketBalance = (s) => (s.match(/\[/g) ?? []).length - (s.match(/\]/g) ?? []).length;

/** The PDF wrapped long syntax lines: a row that leaves a `[` open continues on the next row. */
function joinWrappedRows(rows) {
  const out = [];
  for (const row of rows) {
    const prev = out[out.length - 1];
    if (prev && prev.section === row.section && bracketBalance(prev.marked) > 0 && bracketBalance(row.marked) < 0) {
      const glue = (a, b) => (a.endsWith('-') ? a + b : `${a} ${b}`);
      prev.syntax = glue(prev.syntax, row.syntax);
      prev.marked = glue(prev.marked, row.marked);
      continue;
    }
    out.push({ ...row });
  }
  // Rows wrapped at a point where the brackets balance: the continuation starts with a word that
  // starts no command anywhere in the reference (`query [original-sender] …` in 24.10).
  const firstWords = new Map();
  for (const row of out) {
    const first = row.syntax.split(' ')[0];
    firstWords.set(first, (firstWords.get(first) ?? 0) + 1);
  }
  for (let i = out.length - 1; i > 0; i--) {
    const row = out[i];
    const prev = out[i - 1];
    const first = row.syntax.split(' ')[0];
    if (prev.section === row.section && firstWords.get(first) === 1 && first !== prev.syntax.split(' ')[0]) {
      prev.syntax = `${prev.syntax} ${row.syntax}`;
      prev.marked = `${prev.marked} ${row.marked}`;
      out.splice(i, 1);
    }
  }
  // A few rows were cut off by the extraction without a continuation row: close them.
  for (const row of out) {
    const open = bracketBalance(row.marked);
    if (open > 0) row.marked += ']'.repeat(open);
    const openPrinted = bracketBalance(row.syntax);
    if (openPrinted > 0) row.syntax += ']'.repeat(openPrinted);
  }
  return out;
}

const isConfigurationChapter = (row) =>
  !NON_CONFIGURATION_CHAPTERS.has(row.chapter) && row.chapter !== 'コマンドの使い方'; // only the `show … | grep|less|>` pipe forms live there
const isNoForm = (row) => /^no\s/.test(row.syntax);
const isConfigurationRow = (row) => isConfigurationChapter(row) && !isNoForm(row);

// ---------------------------------------------------------------------------------------------
// 2. Tokens of a marked syntax line

/**
 * Re-joins what the PDF extraction split: `limit= <size>` and `option =value` are one RTX token
 * (`limit=<size>`), as are `<ip_address> /<mask>` and `<interface> :port`.
 */
function normaliseMarked(marked) {
  return marked
    .replace(/\s+/g, ' ')
    .replace(/= +/g, '=')
    .replace(/ +=/g, '=')
    .replace(/ +\/(?=[<\w])/g, '/')
    .replace(/ +:(?=[<\w])/g, ':')
    .trim();
}

/** Top-level items: `{kind:'word', text}` or `{kind:'opt', text}` (a bracketed group, kept raw). */
function splitTopLevel(marked) {
  const items = [];
  let i = 0;
  while (i < marked.length) {
    if (marked[i] === ' ') {
      i++;
      continue;
    }
    if (marked[i] === '[') {
      let depth = 0;
      const start = i;
      for (; i < marked.length; i++) {
        if (marked[i] === '[') depth++;
        else if (marked[i] === ']' && --depth === 0) break;
      }
      items.push({ kind: 'opt', text: marked.slice(start, i + 1) });
      i++;
      continue;
    }
    const start = i;
    let depth = 0;
    while (i < marked.length && (marked[i] !== ' ' || depth > 0)) {
      if (marked[i] === '[') depth++;
      else if (marked[i] === ']') depth--;
      i++;
    }
    items.push({ kind: 'word', text: marked.slice(start, i) });
  }
  return items;
}

const PARAM = /^<([^<>]+)>$/;
const paramName = (item) => (item?.kind === 'word' ? PARAM.exec(item.text)?.[1] : undefined);
/** A plain keyword as the router reads it: lower-case letters, digits, `-`, `.` (`ipv6`, `map-e`, `ja.utf8`). */
const isKeywordText = (text) => /^[a-z0-9][a-z0-9.-]*$/.test(text);
/**
 * Unmarked words that are parameters all the same (the marking missed them): names with an
 * underscore (`text_key`, `callback_permit`) or a numbered placeholder (`mtu0`, `time1`, `host2`).
 */
const looksLikeUnmarkedParameter = (text) => /_/.test(text) || /^(mtu|time|host|type|server|id|len)\d$/.test(text);

/**
 * Classifies the leading items into keywords and parameters, repairing the marking errors of the
 * `syntax_marked` column (see docs/catalogue.md, "Derivation rules"). Returns the repaired items.
 */
function repairMarking(items) {
  const out = items.map((item) => ({ ...item }));
  // Rule 5 (applied first, the others rely on it): unmarked placeholders (`mtu0`, `text_key`) are
  // parameters, and so is an unmarked `interface` in second place (`ip interface arp log <switch>`).
  for (let i = 1; i < out.length; i++) {
    const text = out[i].kind === 'word' ? out[i].text : '';
    if ((isKeywordText(text.replace(/_/g, '')) && looksLikeUnmarkedParameter(text)) || (i === 1 && text === 'interface')) {
      out[i] = { kind: 'word', text: `<${text}>` };
    }
  }
  for (let i = 0; i < out.length; i++) {
    const name = paramName(out[i]);
    if (name === undefined) continue;
    // Rule 1: a command never starts with a parameter: `<timezone> <timezone>` is `timezone <timezone>`.
    // `<wan>` is the only real interface there: the reference's mobile chapter means `wan1`.
    if (i === 0) {
      out[i] = { kind: 'word', text: name === 'wan' ? 'wan1' : name };
      continue;
    }
    // Rule 2: `<x> <x>`: the first is the keyword the parameter is named after (`console lines <lines>`),
    // except for interface lists (`lan pass-through member <id> <interface> <interface>`).
    // `<mtu> <mtu0>` is the same pattern with a numbered parameter (`ipv6 <interface> mtu <mtu0>`).
    const following = paramName(out[i + 1]);
    if (following !== undefined && (following === name || new RegExp(`^${name}\\d$`).test(following)) && !/interface/.test(name)) {
      out[i] = { kind: 'word', text: name };
      continue;
    }
    // Rule 3: `<x> <y> <x>` and `<x> <y> <z> <x>`: the first `x` is a keyword
    // (`ipsec ike group <gateway_id> <group>`, `ip <interface> rip hop <direction> <hop>`); the
    // second may be part of a compound token (`dhcp scope option <scope_num> <option>=<value>`).
    const startsWithSame = (item) => item?.kind === 'word' && item.text.startsWith(`<${name}>`);
    if (!/interface/.test(name)) {
      const next = [1, 2, 3].find((d) => startsWithSame(out[i + d]) && (d > 1 || paramName(out[i + d]) !== name));
      if (next !== undefined && out.slice(i + 1, i + next).every((b) => b.kind === 'word')) {
        out[i] = { kind: 'word', text: name };
      }
    }
  }
  // Rule 4: an unmarked word repeated right after itself is keyword + parameter (`syslog debug debug`).
  for (let i = 1; i < out.length; i++) {
    const a = out[i - 1];
    const b = out[i];
    if (a.kind === 'word' && b.kind === 'word' && a.text === b.text && isKeywordText(a.text)) {
      out[i] = { kind: 'word', text: `<${b.text}>` };
    }
  }
  return out;
}

/**
 * The command name: the leading keywords. A parameter in second place that is followed by a
 * keyword is the interface slot of an interface command (`ip <interface> address`) and becomes `*`.
 * Anything else ends the name: a parameter, an optional group, a compound token (`a=b`, `x/y`).
 */
function deriveName(items) {
  const words = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (item.kind !== 'word') break;
    if (isKeywordText(item.text)) {
      words.push(item.text);
      continue;
    }
    if (i === 1 && paramName(item) && items[i + 1]?.kind === 'word' && isKeywordText(items[i + 1].text)) {
      words.push('*');
      continue;
    }
    break;
  }
  return words.join(' ');
}

function render(items) {
  return items.map((item) => item.text).join(' ');
}

// ---------------------------------------------------------------------------------------------
// 3. Outputs

/** `ip pp …`, `ip tunnel …` and `ip <interface> …` are the same command shapes (rule 6). */
const interfaceNeutral = (tokens) => tokens.map((t, i) => (i === 1 && (t === 'pp' || t === 'tunnel') ? '*' : t)).join(' ');

/** Sections where rule 6 would be wrong: `queue <interface> default <class> secondary` takes a class number. */
const RULE_6_EXCEPTIONS = new Set(['26.9']);

function buildEntries(rows) {
  const work = rows.filter(isConfigurationRow).map((row) => {
    const marked = MARKED_OVERRIDES.get(`${row.section}|${row.syntax}`) ?? row.marked;
    const items = repairMarking(splitTopLevel(normaliseMarked(marked)));
    return { row, items, name: deriveName(items) };
  });
  // Rule 6: a parameter right after the name is a keyword when another command with the same
  // leading words has that keyword there (`snmp <trap> enable` beside `snmp trap host`,
  // `sshd auth <method> <all>` beside `sshd auth method <method>`). Repeat until nothing changes.
  for (let changed = true; changed; ) {
    changed = false;
    const known = new Set();
    for (const w of work) {
      const tokens = w.name.split(' ');
      for (let i = 1; i <= tokens.length; i++) known.add(interfaceNeutral(tokens.slice(0, i)));
    }
    for (const w of work) {
      if (RULE_6_EXCEPTIONS.has(w.row.section)) continue;
      const tokens = w.name.split(' ');
      // The parameter after the name, or the `*` slot (`cooperation <load-watch> go` beside `cooperation load-watch remote`).
      const at = tokens[1] === '*' && paramName(w.items[1]) && known.has(`${tokens[0]} ${paramName(w.items[1])}`) ? 1 : tokens.length;
      const next = paramName(w.items[at]);
      if (next && known.has(interfaceNeutral([...tokens.slice(0, at), next]))) {
        w.items[at] = { kind: 'word', text: next };
        w.name = deriveName(w.items);
        changed = true;
        continue;
      }
      // `ip <interface> <proxyarp> vrrp`: the interface slot followed by a known keyword.
      const afterSlot = paramName(w.items[2]);
      if (tokens.length === 1 && paramName(w.items[1]) && afterSlot && known.has(`${tokens[0]} * ${afterSlot}`)) {
        w.items[2] = { kind: 'word', text: afterSlot };
        w.name = deriveName(w.items);
        changed = true;
      }
    }
  }
  // Rule 7: within one section, a name that only adds one keyword to another name of the section is
  // the same command with a keyword value (`pp keepalive use off`, `tunnel backup pp <n>`).
  const bySection = new Map();
  for (const w of work) bySection.set(w.row.section, [...(bySection.get(w.row.section) ?? []), w]);
  for (const group of bySection.values()) {
    const names = new Set(group.map((w) => w.name));
    for (const w of group) {
      const shorter = w.name.split(' ').slice(0, -1).join(' ');
      if (names.has(shorter)) w.name = shorter;
    }
  }
  return work.map(({ row, items, name }) => {
    if (!name) throw new Error(`no name derived for ${row.section}: ${row.marked}`);
    return { chapter: row.chapter, section: row.section, title: row.title, printed: row.syntax, syntax: render(items), name, models: row.models };
  });
}

/** A trie of names: nearley gets one nonterminal per node, so one line never parses two ways. */
function buildTrie(names) {
  const rootNode = { children: new Map(), star: undefined, name: undefined };
  for (const name of names) {
    let node = rootNode;
    for (const word of name.split(' ')) {
      if (word === '*') {
        node.star ??= { children: new Map(), star: undefined, name: undefined };
        node = node.star;
      } else {
        if (!node.children.has(word)) node.children.set(word, { children: new Map(), star: undefined, name: undefined });
        node = node.children.get(word);
      }
    }
    node.name = name;
  }
  return rootNode;
}

function grammarSource(names) {
  const trie = buildTrie(names);
  const rules = [];
  const matchers = [];
  let counter = 0;
  const literal = (word) => JSON.stringify(word);
  const visit = (node, rule) => {
    const alternatives = [];
    const literals = [...node.children.keys()].sort();
    for (const word of literals) {
      const child = `${rule}_${counter++}`;
      alternatives.push(`${literal(word)} ${child} {% (d) => d[1] %}`);
      visit(node.children.get(word), child);
    }
    // Anything that is not one of this node's keywords may fill a parameter slot or start the arguments.
    const notKeyword = literals.length > 0 ? `notKeyword${matchers.length}` : 'word';
    if (literals.length > 0) matchers.push(`const ${notKeyword} = notIn(${JSON.stringify(literals)});`);
    if (node.star) {
      const child = `${rule}_${counter++}`;
      alternatives.push(`%${notKeyword} ${child} {% (d) => ({ ...d[1], slots: [d[0].value, ...d[1].slots] }) %}`);
      visit(node.star, child);
    }
    if (node.name !== undefined) {
      // A name that is also the prefix of a `*` name (none in the current reference) would be
      // ambiguous: the generator refuses it rather than emit a grammar with two parses.
      if (node.star) throw new Error(`"${node.name}" is both a command and the prefix of a "*" command`);
      const named = JSON.stringify(node.name);
      if (literals.length === 0) {
        alternatives.push(`rest {% (d) => ({ name: ${named}, slots: [], args: d[0] }) %}`);
      } else {
        alternatives.push(`null {% () => ({ name: ${named}, slots: [], args: [] }) %}`);
        alternatives.push(`%${notKeyword} rest {% (d) => ({ name: ${named}, slots: [], args: [d[0].value, ...d[1]] }) %}`);
      }
    }
    rules.push(`${rule} -> ${alternatives.join('\n  | ')}`);
  };
  visit(trie, 'name');
  return [
    '# Generated by scripts/gen-catalogue.mjs from the command reference. Do not edit.',
    '# Recognises every configuration command of the catalogue by name: the name keywords, any',
    '# parameter slot inside the name (`ip * address`), then any parameters (not checked).',
    '@preprocessor typescript',
    '@{%',
    "import { lexer, word } from '../grammar-support.js';",
    "import { notIn } from '../families/matchers.js';",
    ...matchers,
    '%}',
    '@lexer lexer',
    '',
    'command -> name {% (d) => ({ name: d[0].name, params: { slots: d[0].slots, args: d[0].args } }) %}',
    '',
    ...rules.reverse(),
    '',
    '# The parameters after a name, as written.',
    'rest -> null {% () => [] %} | rest %word {% (d) => [...d[0], d[1].value] %}',
    '',
  ].join('\n');
}

function dataSource(entries) {
  const modelLists = [...new Set(entries.map((e) => e.models))];
  const lines = entries.map(
    (e) =>
      `  [${JSON.stringify(e.chapter)}, ${JSON.stringify(e.section)}, ${JSON.stringify(e.title)}, ${JSON.stringify(e.printed)}, ${JSON.stringify(e.syntax)}, ${JSON.stringify(e.name)}, ${modelLists.indexOf(e.models)}],`,
  );
  return `// Generated by scripts/gen-catalogue.mjs from rtx-command-catalogue.tsv (Yamaha's command
// reference, current edition). Do not edit: change the generator and run it again.
import type { CatalogueSyntaxLine } from './types.js';

/** The reference's "applicable models" lists (deduplicated; entries refer to them by index). */
const MODEL_LISTS: readonly string[] = ${JSON.stringify(modelLists, null, 2)};

/** chapter, section, title, syntax as printed, syntax with parameters marked (repaired), name, models. */
type Row = readonly [string, string, string, string, string, string, number];

const ROWS: readonly Row[] = [
${lines.join('\n')}
];

/** Every configuration syntax line of the reference, in reference order. */
export const catalogueSyntaxLines: readonly CatalogueSyntaxLine[] = ROWS.map(
  ([chapter, section, title, printed, syntax, name, models]) => ({
    chapter,
    section,
    title,
    printed,
    syntax,
    name,
    models: MODEL_LISTS[models] ?? '',
  }),
);
`;
}

function namesSource(names) {
  return `// Generated by scripts/gen-catalogue.mjs from rtx-command-catalogue.tsv. Do not edit.

/** Every configuration command name of the reference (\`*\` marks a parameter slot), sorted. */
export const catalogueNames: readonly string[] = ${JSON.stringify(names, null, 2)};
`;
}

// ---------------------------------------------------------------------------------------------
// 4. Identities: what the `no` form must name

/**
 * The keying rule (docs/config.md, "Keys"): entering a command again replaces the setting that its
 * `no` form would remove, and the `no` form names that setting by its mandatory words (reference
 * §1.4: words after them are ignored). So a command's identity is the mandatory words of its `no`
 * syntax after the name: `no ip route <network> [gateway…]` -> one word, `no statistics <type>
 * [<sw>]` -> one, `no lan type <interface> […]` -> none (the interface is in the name).
 * A name with several `no` forms keeps them all (`no bridge learning <bridge_interface>`, `…
 * <bridge_interface> timer`, `… <bridge_interface> static <mac_address>`): the line's own words
 * pick the longest form whose keywords they match.
 * A form is `null` (assumed: the whole line identifies, only an identical line replaces) when it
 * puts a mandatory word after an optional one (`<direction> [<type>] <switch>`): its words cannot
 * be counted. A name without any `no` form gets no entry (the same assumption at run time).
 */
function buildIdentities(rows, entries) {
  const namesBySection = new Map();
  for (const e of entries) namesBySection.set(e.section, new Set([...(namesBySection.get(e.section) ?? []), e.name]));
  const found = new Map(); // name -> { forms: Map<key, (string[] | null)>, sources: string[] }
  for (const row of rows.filter((r) => isConfigurationChapter(r) && isNoForm(r))) {
    const marked = normaliseMarked(row.marked.replace(/^no\s+/, ''));
    const items = repairMarking(splitTopLevel(marked));
    const names = [...(namesBySection.get(row.section) ?? [])];
    const length = (name) => (matchesName(name, items) ? name.split(' ').length : -1);
    // The longest names that match (`ip pp secure filter` and `ip * secure filter` alike).
    const longest = Math.max(-1, ...names.map(length));
    if (longest < 0) continue;
    const rest = items.slice(longest);
    const firstOptional = rest.findIndex((item) => item.kind === 'opt');
    const leading = firstOptional < 0 ? rest.length : firstOptional;
    const mandatoryAfterOptional = rest.slice(leading).some((item) => item.kind === 'word');
    const form = mandatoryAfterOptional ? null : rest.slice(0, leading).map(wordPattern);
    for (const name of names.filter((n) => length(n) === longest)) {
      const known = found.get(name) ?? { forms: new Map(), sources: [] };
      known.forms.set(JSON.stringify(form), form);
      known.sources.push(`${row.section} no ${marked}`);
      found.set(name, known);
    }
  }
  return found;
}

/** How a mandatory word of a `no` form matches a line's word: `<>` any word, `=` a `key=value` word, else that keyword. */
function wordPattern(item) {
  if (paramName(item) !== undefined) return '<>';
  if (item.text.includes('=')) return '=';
  return isKeywordText(item.text) ? item.text : '<>';
}

/** `ipsec ike version` matches `ipsec ike <version> …` (a keyword the marking took for a parameter). */
function matchesName(name, items) {
  return name.split(' ').every((token, i) => {
    const item = items[i];
    if (item?.kind !== 'word') return false;
    if (token === '*') return paramName(item) !== undefined || isKeywordText(item.text);
    return item.text === token || paramName(item) === token;
  });
}

function identitiesSource(identities) {
  const rows = [...identities.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, { forms, sources }]) => `  [${JSON.stringify(name)}, ${JSON.stringify([...forms.values()])}, ${JSON.stringify(sources)}],`);
  return `// Generated by scripts/gen-catalogue.mjs from rtx-command-catalogue.tsv. Do not edit.
// The rule that derives these (the mandatory words of each command's \`no\` form) is in the
// generator and in docs/config.md, "Keys".

/**
 * One \`no\` form: the mandatory words after the name, each \`<>\` (any word), \`=\` (a key=value
 * word) or a keyword; null when the form cannot be counted (the whole line identifies, assumed).
 */
export type NoForm = readonly string[] | null;

/** name, its \`no\` forms, where they were read (section + syntax). */
type Row = readonly [string, readonly NoForm[], readonly string[]];

const ROWS: readonly Row[] = [
${rows.join('\n')}
];

/** The names that have a \`no\` form; a name missing here is identified by its whole line (assumed). */
export const catalogueNoForms: ReadonlyMap<string, { readonly forms: readonly NoForm[]; readonly sources: readonly string[] }> =
  new Map(ROWS.map(([name, forms, sources]) => [name, { forms, sources }]));
`;
}

const rows = readRows(tsvPath);
const entries = buildEntries(rows);
const names = [...new Set(entries.map((e) => e.name))].sort();
const identities = buildIdentities(rows, entries);
writeFileSync(join(root, 'src', 'config', 'catalogue', 'identities.ts'), identitiesSource(identities));
writeFileSync(join(root, 'src', 'config', 'catalogue', 'syntax-lines.ts'), dataSource(entries));
writeFileSync(join(root, 'src', 'config', 'catalogue', 'names.ts'), namesSource(names));
writeFileSync(join(root, 'grammar', 'catalogue.ne'), grammarSource(names));
const uncounted = names.filter((n) => !identities.has(n) || [...identities.get(n).forms.values()].includes(null)).length;
console.error(`gen-catalogue: ${entries.length} syntax lines, ${names.length} command names, ${uncounted} with no countable no form (assumed: whole line)`);
