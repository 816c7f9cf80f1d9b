/**
 * Derives the operation catalog and schema property tables from Halo's OpenAPI document, with the
 * overlay (src/openapi/overlay.json) applied: names live tenants take that the document lacks, each
 * marked with the evidence of its use.
 *
 *   npm run derive:openapi -- <path to openapi.json>
 *
 * Writes src/openapi/operations.json and src/openapi/schemas.json, and from them the types of the
 * operations the project calls by name (src/openapi/wire.ts, see scripts/derive-wire.ts), which are
 * committed: the project never reads the document at run or test time. Run it again when Halo
 * publishes a newer document or the overlay changes.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type {
  Operation,
  OperationBody,
  OperationParam,
  OperationsDocument,
  ParamType,
  SchemasDocument,
} from '../src/openapi/types.js';
import { deriveWire } from './derive-wire.js';

interface OpenApiSchema {
  type?: string;
  format?: string;
  nullable?: boolean;
  $ref?: string;
  items?: OpenApiSchema;
  properties?: Record<string, OpenApiSchema>;
}

interface OpenApiParameter {
  name: string;
  in: string;
  description?: string;
  schema?: OpenApiSchema;
}

interface OpenApiOperation {
  tags?: string[];
  summary?: string;
  parameters?: OpenApiParameter[];
  requestBody?: { content?: Record<string, { schema?: OpenApiSchema }> };
}

interface OpenApiDocument {
  info: { title: string; version: string };
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, OpenApiSchema> };
}

/** A name the overlay adds: a query parameter of one operation, or a field of its body's schema. */
interface OverlayEntry {
  method: string;
  path: string;
  in: 'query' | 'body';
  name: string;
  /** A parameter type for a query parameter; a schema property type (`string?`) for a body field. */
  type: string;
  required?: boolean;
  why: string;
  evidence: string[];
}

const PARAM_TYPES: Record<string, ParamType> = {
  int: 'integer',
  integer: 'integer',
  bool: 'boolean',
  boolean: 'boolean',
  double: 'number',
  number: 'number',
  string: 'string',
  DateTime: 'date-time',
  'List<int>': 'integer-list',
  obj: 'object',
};

function paramType(schema: OpenApiSchema | undefined): ParamType {
  // The document leaves a few parameters untyped; Halo reads those from the query string as text.
  if (!schema?.type) return 'string';
  const type = PARAM_TYPES[schema.type];
  if (!type) throw new Error(`Unknown parameter type "${schema.type}" in the OpenAPI document`);
  return type;
}

function refName(ref: string): string {
  return ref.slice(ref.lastIndexOf('/') + 1);
}

function propertyType(schema: OpenApiSchema): string {
  let type: string;
  if (schema.$ref) type = `ref:${refName(schema.$ref)}`;
  else if (schema.type === 'array') type = `array:${schema.items ? propertyType(schema.items) : 'object'}`;
  else if (schema.type === 'string' && schema.format === 'date-time') type = 'date-time';
  else type = schema.type ?? 'object';
  return schema.nullable ? `${type}?` : type;
}

function convertParams(params: OpenApiParameter[], location: 'query' | 'path'): OperationParam[] {
  // The document repeats some parameters within one operation (`debug`, `utcoffset`); keep the first.
  const seen = new Set<string>();
  const out: OperationParam[] = [];
  for (const param of params) {
    if (param.in !== location || seen.has(param.name)) continue;
    seen.add(param.name);
    const description = param.description?.trim();
    out.push({ name: param.name, type: paramType(param.schema), ...(description ? { description } : {}) });
  }
  return out;
}

function convertBody(operation: OpenApiOperation): OperationBody | undefined {
  const content = operation.requestBody?.content;
  const schema = content?.['application/json']?.schema ?? Object.values(content ?? {})[0]?.schema;
  if (!schema) return undefined;
  if (schema.type === 'array') {
    return schema.items?.$ref
      ? { schema: refName(schema.items.$ref), array: true }
      : { array: true, type: schema.items?.type ?? 'object' };
  }
  return schema.$ref ? { schema: refName(schema.$ref), array: false } : { array: false, type: schema.type ?? 'object' };
}

function derive(document: OpenApiDocument, sha256: string): { operations: OperationsDocument; schemas: SchemasDocument } {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      const upper = method.toUpperCase();
      if (upper !== 'GET' && upper !== 'POST' && upper !== 'DELETE') {
        throw new Error(`Unexpected method ${upper} on ${path}: the catalog only knows GET, POST and DELETE`);
      }
      const params = operation.parameters ?? [];
      const body = convertBody(operation);
      const tag = operation.tags?.[0];
      operations.push({
        method: upper,
        path,
        ...(operation.summary ? { summary: operation.summary } : {}),
        ...(tag ? { tag } : {}),
        pathParams: convertParams(params, 'path'),
        query: convertParams(params, 'query'),
        ...(body ? { body } : {}),
      });
    }
  }
  const schemas: SchemasDocument = {};
  for (const [name, schema] of Object.entries(document.components.schemas)) {
    const properties: Record<string, string> = {};
    for (const [property, propertySchema] of Object.entries(schema.properties ?? {})) {
      properties[property] = propertyType(propertySchema);
    }
    schemas[name] = properties;
  }
  const overlaid = applyOverlay(operations, schemas, readOverlay());
  return {
    operations: {
      source: {
        title: document.info.title,
        version: document.info.version,
        sha256,
        operations: operations.length,
        paths: Object.keys(document.paths).length,
        overlay: overlaid,
      },
      operations,
    },
    schemas,
  };
}

function readOverlay(): OverlayEntry[] {
  const text = readFileSync(new URL('../src/openapi/overlay.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { entries: OverlayEntry[] }).entries;
}

/**
 * Adds each overlay entry to its operation, marked with its evidence; answers how many were added.
 * An entry for an operation the document lacks is an error (a typo would otherwise vanish); an
 * entry the document now declares itself is dropped, as the document wins for names.
 */
function applyOverlay(operations: Operation[], schemas: SchemasDocument, entries: OverlayEntry[]): number {
  let added = 0;
  for (const entry of entries) {
    const where = `${entry.method} ${entry.path} ${entry.in} ${entry.name}`;
    if (entry.evidence.length === 0) throw new Error(`The overlay entry ${where} cites no evidence`);
    const operation = operations.find((candidate) => candidate.method === entry.method && candidate.path === entry.path);
    if (!operation) throw new Error(`The overlay names ${entry.method} ${entry.path}, which the document does not have`);
    if (entry.in === 'query') {
      if (operation.query.some((param) => param.name.toLowerCase() === entry.name.toLowerCase())) {
        process.stderr.write(`The document now declares ${where}: drop it from the overlay.\n`);
        continue;
      }
      const type = Object.values(PARAM_TYPES).find((known) => known === entry.type);
      if (!type) throw new Error(`The overlay entry ${where} has the unknown type "${entry.type}"`);
      operation.query.push({ name: entry.name, type, ...(entry.required ? { required: true } : {}), evidence: entry.evidence });
    } else {
      const schemaName = operation.body?.schema;
      const properties = schemaName ? schemas[schemaName] : undefined;
      if (!operation.body || !properties) throw new Error(`The overlay entry ${where} is for an operation without a body schema`);
      if (entry.name in properties) {
        process.stderr.write(`The document now declares ${where}: drop it from the overlay.\n`);
        continue;
      }
      properties[entry.name] = entry.type;
      operation.body.evidence = { ...(operation.body.evidence ?? {}), [entry.name]: entry.evidence };
    }
    added++;
  }
  return added;
}

function main(): void {
  const input = process.argv[2];
  if (!input) {
    process.stderr.write('usage: npm run derive:openapi -- <path to Halo openapi.json>\n');
    process.exit(2);
  }
  const raw = readFileSync(input);
  const sha256 = createHash('sha256').update(raw).digest('hex');
  const { operations, schemas } = derive(JSON.parse(raw.toString('utf8')) as OpenApiDocument, sha256);
  const outDir = new URL('../src/openapi/', import.meta.url);
  writeFileSync(new URL('operations.json', outDir), `${JSON.stringify(operations)}\n`);
  writeFileSync(new URL('schemas.json', outDir), `${JSON.stringify(schemas)}\n`);
  writeFileSync(new URL('wire.ts', outDir), deriveWire(operations, schemas));
  process.stderr.write(
    `Derived ${operations.operations.length} operations on ${operations.source.paths} paths and ` +
      `${Object.keys(schemas).length} schemas into ${fileURLToPath(outDir)}\n`,
  );
}

main();
