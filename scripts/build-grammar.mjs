// Compiles every grammar/*.ne (nearley) into src/config/generated/*.ts.
// Runs before tsc and before the tests; only rebuilds a file when its source is newer.
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync, readdirSync, statSync, mkdirSync, existsSync } from 'node:fs';
import { join, basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const nearley = require('nearley');
const compile = require('nearley/lib/compile.js');
const generate = require('nearley/lib/generate.js');
const bootstrapped = require('nearley/lib/nearley-language-bootstrapped.js');

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const grammarDir = join(root, 'grammar');
const outDir = join(root, 'src', 'config', 'generated');
mkdirSync(outDir, { recursive: true });

const force = process.argv.includes('--force');
let built = 0;
for (const file of readdirSync(grammarDir).filter((f) => f.endsWith('.ne')).sort()) {
  const source = join(grammarDir, file);
  const target = join(outDir, basename(file, '.ne') + '.ts');
  if (!force && existsSync(target) && statSync(target).mtimeMs >= statSync(source).mtimeMs) continue;
  const parser = new nearley.Parser(nearley.Grammar.fromCompiled(bootstrapped));
  parser.feed(readFileSync(source, 'utf8'));
  parser.feed('\n');
  if (parser.results.length === 0) throw new Error(`${file}: incomplete nearley grammar`);
  const compiled = compile(parser.results[0], { args: [source] });
  // nearley declares every %token as `declare var X: any`, which would shadow the matchers the
  // grammar imports from grammar-support.ts (and make the transpiler drop the import): remove them.
  const code = generate(compiled, 'grammar').replace(/^declare var \w+: any;\n/gm, '');
  // The generated code is not ours to lint: keep tsc strict for the rest of the tree.
  writeFileSync(target, '// @ts-nocheck\n// Generated from grammar/' + file + ' by scripts/build-grammar.mjs. Do not edit.\n' + code);
  built++;
}
if (built > 0) console.error(`build-grammar: compiled ${built} grammar file(s)`);
