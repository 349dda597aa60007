/**
 * The settings syntax shared by strongswan.conf and swanctl.conf: nested `name { ... }` sections
 * and `key = value` lines. A value runs to the end of its line (strongSwan's parser), so a value
 * holding a newline, a brace or a # (comment) would silently change the file's structure: such values are refused.
 */
export type ConfValue = string | number | boolean | readonly string[] | ConfSection | undefined;
export interface ConfSection {
  readonly [key: string]: ConfValue;
}

const KEY = /^[A-Za-z0-9_.\-]+$/;

function renderScalar(key: string, value: string | number | boolean | readonly string[]): string {
  const text = typeof value === 'boolean' ? (value ? 'yes' : 'no') : Array.isArray(value) ? value.join(', ') : String(value);
  if (/[\n\r{}#]/.test(text)) throw new Error(`settings value of ${key} must not contain newlines, braces or #: ${JSON.stringify(text)}`);
  return text;
}

/** Renders a section tree; keys whose value is undefined are left out. */
export function renderConf(section: ConfSection, indent = ''): string {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(section)) {
    if (value === undefined) continue;
    if (!KEY.test(key)) throw new Error(`invalid settings key ${JSON.stringify(key)}`);
    if (typeof value === 'object' && !Array.isArray(value)) {
      lines.push(`${indent}${key} {`, renderConf(value as ConfSection, `${indent}  `).trimEnd(), `${indent}}`);
    } else {
      lines.push(`${indent}${key} = ${renderScalar(key, value as string | number | boolean | readonly string[])}`);
    }
  }
  return lines.filter((line) => line !== '').join('\n') + '\n';
}
