// Writes src/api/schema.d.ts from src/api/schema.json.
import { writeFileSync } from 'node:fs';
import { generate } from './schema-types.mjs';

writeFileSync(new URL('../src/api/schema.d.ts', import.meta.url), await generate());
