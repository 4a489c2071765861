#!/usr/bin/env node
import { main } from './cli/main.js';

// Exit explicitly: long-running commands leave handles (sockets, children) that would hold the loop.
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`edge-agent: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
