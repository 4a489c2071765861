#!/usr/bin/env node
// Some npm mirrors serve only the linux binaries of packages like @biomejs/biome, rollup and turbo.
// npm then leaves the other platforms' optional packages out of package-lock.json, and `npm ci`
// refuses the lockfile as out of sync. This records each missing optional package with the
// os/cpu/libc it is for, so `npm ci` skips it on every other platform and never fetches it.
// Run after `npm install` on such a mirror: node scripts/lockfile-platforms.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const OS = {
  android: 'android',
  darwin: 'darwin',
  freebsd: 'freebsd',
  linux: 'linux',
  openbsd: 'openbsd',
  openharmony: 'openharmony',
  win32: 'win32',
  windows: 'win32',
};
const CPU = {
  arm64: 'arm64',
  x64: 'x64',
  64: 'x64',
  arm: 'arm',
  ia32: 'ia32',
  loong64: 'loong64',
  ppc64: 'ppc64',
  riscv64: 'riscv64',
  s390x: 's390x',
};

/** `@rollup/rollup-linux-arm64-musl` → { os: linux, cpu: arm64, libc: musl }. */
function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  const osAt = parts.findIndex((p) => p in OS);
  if (osAt < 0 || !(parts[osAt + 1] in CPU)) return undefined;
  const rest = parts.slice(osAt + 2).join('-');
  const libc = /musl/.test(rest) ? 'musl' : parts[osAt] === 'linux' ? 'glibc' : undefined;
  return { os: [OS[parts[osAt]]], cpu: [CPU[parts[osAt + 1]]], ...(libc ? { libc: [libc] } : {}) };
}

const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
let added = 0;
for (const entry of Object.values(lock.packages)) {
  for (const [dep, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${dep}`;
    if (lock.packages[key]) continue;
    const platform = platformOf(dep);
    if (!platform) continue;
    lock.packages[key] = { version, ...(entry.dev ? { dev: true } : {}), optional: true, ...platform };
    added++;
  }
}
writeFileSync('package-lock.json', `${JSON.stringify(lock, null, 2)}\n`);
console.log(`package-lock.json: recorded ${added} optional platform package(s)`);
