// The web client's TypeScript types, generated from the API's schema document
// (src/api/schema.json, written from the Rust types by `USHER_BLESS=1 cargo test --test schema`).
import openapiTS, { astToString } from 'openapi-typescript';

const HEADER =
  '// Generated from schema.json by `npm run gen:types`: do not edit. The schema comes from the\n' +
  "// Rust types (src/http/schema.rs); src/api/schema.test.ts fails when this file is stale.\n\n";

/** The contents of src/api/schema.d.ts for the current schema.json. */
export async function generate() {
  // Arrays of a fixed length (an ETA range) become tuples.
  const ast = await openapiTS(new URL('../src/api/schema.json', import.meta.url), { arrayLength: true });
  return HEADER + astToString(ast);
}
