/**
 * Which words of a name-only command identify its setting (the keying rule, docs/config.md
 * "Keys"): the mandatory words of the command's `no` form. When the reference gives several
 * forms, the line's own words choose the longest one whose keywords they match. When it gives
 * none, or one whose words cannot be counted, every word identifies (assumed): a second line
 * then replaces the first only when identical, so no accepted line is ever lost.
 */
import type { ConfigToken } from '../tokenize.js';
import { catalogueNoForms, type NoForm } from './identities.js';

export type IdentityOf = (words: readonly ConfigToken[]) => readonly string[];

export function catalogueIdentity(name: string): IdentityOf {
  const forms = catalogueNoForms.get(name)?.forms;
  if (forms === undefined || forms.includes(null)) return wholeLine;
  const countable = forms.filter((f): f is readonly string[] => f !== null).sort((a, b) => b.length - a.length);
  return (words) => {
    const form = countable.find((f) => matches(f, words));
    return form === undefined ? wholeLine(words) : words.slice(0, form.length).map((w) => w.value);
  };
}

function wholeLine(words: readonly ConfigToken[]): readonly string[] {
  return words.map((w) => w.value);
}

function matches(form: Exclude<NoForm, null>, words: readonly ConfigToken[]): boolean {
  if (words.length < form.length) return false;
  return form.every((pattern, i) => {
    const word = words[i]!;
    if (pattern === '<>') return true;
    if (pattern === '=') return word.value.includes('=');
    return !word.quoted && word.text.toLowerCase() === pattern;
  });
}
