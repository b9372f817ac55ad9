import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { SERVER_VERSION } from '../src/version.js';

it('SERVER_VERSION matches package.json', () => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  expect(SERVER_VERSION).toBe(pkg.version);
});
