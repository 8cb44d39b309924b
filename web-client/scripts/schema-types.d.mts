/** The contents of src/api/schema.d.ts for the current schema.json. */
export function generate(): Promise<string>;
