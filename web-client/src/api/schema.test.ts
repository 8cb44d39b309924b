/// <reference types="node" />
// @vitest-environment node
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { generate } from '../../scripts/schema-types.mjs';

test('the TypeScript types are the ones generated from the current schema', async () => {
  const committed = readFileSync(new URL('./schema.d.ts', import.meta.url), 'utf8');
  // If this fails: `npm run gen:types` (after `USHER_BLESS=1 cargo test --test schema`).
  expect(committed).toBe(await generate());
});
