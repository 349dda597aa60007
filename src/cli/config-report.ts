/** The one-line-per-problem report shared by `config check` and `config show`. */
import { rtxErrorMessage, type ConsoleLanguage } from '../config/errors.js';
import type { ConfigProblem, ConfigWarning } from '../config/read-config.js';
import { quoteConfigText } from '../config/report-text.js';

export function problemLine(problem: ConfigProblem, language: ConsoleLanguage, verbose: boolean): string {
  const detail = verbose && problem.detail !== undefined ? ` (${quoteConfigText(problem.detail)})` : '';
  return `line ${problem.line}: ${quoteConfigText(problem.text)}: ${rtxErrorMessage(problem.error, language)}${detail}`;
}

export function warningLine(warning: ConfigWarning): string {
  return `line ${warning.line}: ${quoteConfigText(warning.text)}: warning: not on RTX1500 Rev.8.03, not applied (${warning.reason})`;
}

export function parseLanguage(value: string): ConsoleLanguage {
  if (value === 'en' || value === 'ja') return value;
  throw new Error(`--lang must be en or ja, not ${value}`);
}
