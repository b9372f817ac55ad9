#!/usr/bin/env node
// Runs the built CLI (`npm run build` makes dist/; `npm start` and `npm test` build first).
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('infino: the server is not built yet; run `npm run build` in the repository root first\n');
  process.exit(1);
}
await import(cli.href);
