// Builds build/tessera: one executable (Node single executable application) that runs Tessera on its embedded defaults.
// Expects `npm run build` to have emitted dist/src/main.js (npm run build:binary does both).
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const buildDir = join(root, 'build');
const entry = join(root, 'dist/src/main.js');
const bundle = join(buildDir, 'tessera.cjs');
const blob = join(buildDir, 'tessera.blob');
const seaConfig = join(buildDir, 'sea-config.json');
const output = join(buildDir, process.platform === 'win32' ? 'tessera.exe' : 'tessera');
const sqliteAddon = join(root, 'node_modules/sqlite3/build/Release/node_sqlite3.node');
const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

function fail(message) {
  console.error(`build-binary: ${message}`);
  process.exit(1);
}

if (!existsSync(entry)) fail(`${relative(root, entry)} is missing; run \`npm run build\` first (or \`npm run build:binary\`)`);
if (!existsSync(sqliteAddon)) fail(`${relative(root, sqliteAddon)} is missing; run \`npm ci\` (sqlite3 builds its addon on install)`);

const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

/** The package name of a bare import ('@scope/pkg/sub' -> '@scope/pkg'), or undefined for relative/absolute paths. */
function packageName(specifier) {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function installed(name, fromDir) {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules', name, 'package.json'))) return true;
    if (dirname(dir) === dir) return false;
  }
}

/**
 * Nest, TypeORM, ws and pg import optional packages (kafkajs, mysql2, class-validator, bufferutil, pg-native, ...) that
 * Tessera does not use. Each one that is not installed becomes a module that throws MODULE_NOT_FOUND when loaded, as
 * `require` would: in a single executable application `require` loads built-in modules only (and warns otherwise), and
 * nothing must be looked up on the disk beside the binary.
 */
const MISSING = 'tessera-missing-optional';
const missingOptional = {
  name: 'missing-optional-packages',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:') || builtins.has(args.path)) return undefined;
      const name = packageName(args.path);
      if (name === undefined) return undefined;
      if (name === 'pg-native' || !installed(name, args.resolveDir || root)) return { path: args.path, namespace: MISSING };
      return undefined;
    });
    build.onLoad({ filter: /.*/, namespace: MISSING }, (args) => ({
      loader: 'js',
      contents: `const error = new Error(${JSON.stringify(`Cannot find module '${args.path}' (an optional package that is not part of the Tessera binary)`)});
error.code = 'MODULE_NOT_FOUND';
throw error;
`,
    }));
  },
};

/** sqlite3 finds its addon with `bindings`, which searches the file system; in the binary the addon is a SEA asset. */
const sqliteAddonFromAsset = {
  name: 'sqlite3-addon-from-sea-asset',
  setup(build) {
    build.onLoad({ filter: /[\\/]sqlite3[\\/]lib[\\/]sqlite3-binding\.js$/ }, () => ({
      loader: 'js',
      contents: `
const { getRawAsset } = require('node:sea');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-sqlite3-'));
const file = path.join(dir, 'node_sqlite3.node');
fs.writeFileSync(file, Buffer.from(getRawAsset('node_sqlite3.node')), { mode: 0o700 });
const addon = { exports: {} };
try {
  process.dlopen(addon, file);
} finally {
  // Once loaded, the shared object stays mapped; the file itself is no longer needed.
  try {
    fs.rmSync(dir, { recursive: true, force: true });
  } catch {
    // Windows keeps a loaded DLL open: leave it in the temp folder.
  }
}
module.exports = addon.exports;
`,
    }));
  },
};

mkdirSync(buildDir, { recursive: true });
for (const file of [bundle, blob, seaConfig, output]) rmSync(file, { force: true });

const result = await esbuild.build({
  entryPoints: [entry],
  outfile: bundle,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // Nest reads class names and decorator metadata at run time: keep names, do not minify.
  keepNames: true,
  minify: false,
  legalComments: 'none',
  logLevel: 'silent',
  define: { 'import.meta.url': '__tessera_import_meta_url' },
  banner: { js: "const __tessera_import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [missingOptional, sqliteAddonFromAsset],
  metafile: true,
});

for (const message of await esbuild.formatMessages(result.warnings, { kind: 'warning', color: false })) console.warn(message.trimEnd());
const inputs = Object.keys(result.metafile.inputs);
const missing = [...new Set(inputs.filter((input) => input.startsWith(`${MISSING}:`)).map((input) => input.slice(MISSING.length + 1)))].sort();
console.log(`bundled ${relative(root, entry)} -> ${relative(root, bundle)} (${(statSync(bundle).size / 1e6).toFixed(1)} MB, ${inputs.length} modules); optional packages left out: ${missing.join(', ') || 'none'}`);

writeFileSync(
  seaConfig,
  `${JSON.stringify(
    {
      main: bundle,
      output: blob,
      disableExperimentalSEAWarning: true,
      useCodeCache: false,
      useSnapshot: false,
      assets: { 'node_sqlite3.node': sqliteAddon },
    },
    null,
    2,
  )}\n`,
);
execFileSync(process.execPath, ['--experimental-sea-config', seaConfig], { cwd: root, stdio: 'inherit' });

copyFileSync(process.execPath, output);
chmodSync(output, 0o755);
if (process.platform === 'darwin') execFileSync('codesign', ['--remove-signature', output], { stdio: 'inherit' });
const postject = join(root, 'node_modules/postject/dist/cli.js');
const postjectArgs = [postject, output, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', FUSE];
if (process.platform === 'darwin') postjectArgs.push('--macho-segment-name', 'NODE_SEA');
const injected = spawnSync(process.execPath, postjectArgs, { cwd: root, encoding: 'utf8' });
// LIEF warns about ELF note sections it does not know ("Can't find string offset for section name '.note...'"): harmless.
const postjectNoise = /^warning: Can't find string offset for section name '\.note[^']*'$/;
const postjectOutput = `${injected.stdout}${injected.stderr}`.replace(/\u001b\[[0-9;]*m/g, '').split('\n').filter((line) => line.trim() !== '' && !postjectNoise.test(line.trim()) && !/^(Start injection|💉 Injection done!)/u.test(line.trim()));
if (postjectOutput.length > 0) console.warn(postjectOutput.join('\n'));
if (injected.status !== 0) fail(`postject exited with ${injected.status ?? injected.signal}`);
if (process.platform === 'darwin') execFileSync('codesign', ['--sign', '-', output], { stdio: 'inherit' });

console.log(`built ${relative(root, output)} (${(statSync(output).size / 1024 / 1024).toFixed(1)} MiB, Node ${process.version} ${process.platform}-${process.arch})`);
