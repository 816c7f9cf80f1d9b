/**
 * JSON Schemas for tools/list, made from the tools' zod schemas and trimmed of what costs tokens in
 * every conversation without telling a model anything: `$schema`, `additionalProperties: false`
 * (unknown arguments are still refused when the call is validated) and its permissive twins
 * (`additionalProperties: {}`, `propertyNames: {type: string}`), and the ±2^53 bounds zod writes on
 * every integer, and what goes without saying (an id above 0, a flag off by default). A nullable
 * simple type is written `type: [t, "null"]` rather than as an `anyOf`.
 */
import { z } from 'zod';

type JsonSchema = Record<string, unknown>;

function isEmptySchema(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.keys(value).length === 0;
}

/** `[{type: "string"}, {type: "null"}]` as `["string", "null"]`, when both branches are bare types. */
function nullableType(anyOf: unknown): unknown[] | undefined {
  if (!Array.isArray(anyOf) || anyOf.length !== 2) return undefined;
  const types = (anyOf as unknown[]).map((branch) =>
    typeof branch === 'object' && branch !== null && Object.keys(branch).length === 1 ? (branch as JsonSchema).type : undefined,
  );
  return types.includes('null') && types.every((type) => typeof type === 'string') ? types : undefined;
}

function trim(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(trim);
  if (typeof node !== 'object' || node === null) return node;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node as JsonSchema)) {
    if (key === '$schema') continue;
    if ((key === 'additionalProperties' || key === 'items') && (value === false || isEmptySchema(value))) continue;
    if (key === 'propertyNames' && JSON.stringify(value) === '{"type":"string"}') continue;
    const types = key === 'anyOf' ? nullableType(value) : undefined;
    if (types) {
      out.type = types;
      continue;
    }
    if ((key === 'minimum' || key === 'maximum') && typeof value === 'number' && Math.abs(value) === Number.MAX_SAFE_INTEGER) continue;
    // An id's lower bound and a flag's default of false go without saying; the call is still checked against both.
    if (key === 'exclusiveMinimum' && value === 0) continue;
    if (key === 'default' && value === false) continue;
    out[key] = trim(value);
  }
  return out;
}

export function toolJsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  return trim(z.toJSONSchema(schema, { io, unrepresentable: 'any' })) as JsonSchema;
}

