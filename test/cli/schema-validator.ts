/** A validator for one document kind of docs/bridgewatch.schema.json (Ajv, JSON Schema draft 2020-12). */
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';

const schema = JSON.parse(readFileSync(new URL('../../docs/bridgewatch.schema.json', import.meta.url), 'utf8')) as { $id: string };
const ajv = new Ajv2020({ allErrors: true, strictSchema: true, strictTypes: false, allowUnionTypes: true });
ajv.addSchema(schema);
const cache = new Map<string, ValidateFunction>();

/** Document kinds: the `$defs` entries meant to be validated on their own. */
export type DocumentKind = 'analysis' | 'ndjsonRecord' | 'stats' | 'links' | 'audit' | 'fix';

/** Returns a function giving the validation errors of a value (empty when valid). */
export function schemaValidator(kind: DocumentKind): (value: unknown) => string[] {
  let validate = cache.get(kind);
  if (!validate) {
    validate = ajv.compile({ $ref: `${schema.$id}#/$defs/${kind}` });
    cache.set(kind, validate);
  }
  const v = validate;
  return (value) => (v(value) ? [] : (v.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`));
}
