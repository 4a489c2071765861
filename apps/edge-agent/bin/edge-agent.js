#!/usr/bin/env node
// npm links bins at `npm ci`, before the build: a committed shim keeps `npx edge-agent` linked on a fresh clone.
const entry = new URL('../dist/cli.js', import.meta.url);
import(entry.href).catch((err) => {
  if (err?.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes(entry.pathname)) {
    process.stderr.write('edge-agent is not built yet: run `npm run build` at the repository root first\n');
    process.exit(1);
  }
  throw err;
});
