/**
 * Where `config check|show` read from: a file, `-` for standard input, or (no FILE) the embedded
 * default config, the seed's RTX1500 config (src/config/default-config.ts).
 */
import { readFile } from 'node:fs/promises';
import { DEFAULT_CONFIG_TEXT } from '../config/default-config.js';
import { readConfig, type ReadOptions, type ReadResult } from '../config/read-config.js';
import type { CliIo } from './io.js';

export interface ConfigInput {
  /** How to call the input in messages. */
  readonly label: string;
  readonly result: ReadResult;
}

export async function readConfigInput(file: string | undefined, io: CliIo, options: ReadOptions = {}): Promise<ConfigInput> {
  if (file === undefined) return { label: 'embedded default config', result: readConfig(DEFAULT_CONFIG_TEXT, options) };
  const bytes = file === '-' ? await io.readStdin() : new Uint8Array(await readFile(file));
  return { label: file === '-' ? 'standard input' : file, result: readConfig(bytes, options) };
}
