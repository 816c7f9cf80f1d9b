/**
 * Halo's own OpenAPI document, as the sandbox sees it: which paths exist, which methods each path
 * takes, and which query parameters and body fields each operation declares. Every request the
 * sandbox receives is checked against it, so a client that sends what Halo does not know is caught
 * here even though real Halo would silently ignore it.
 */
import operationsDocument from '../openapi/operations.json' with { type: 'json' };
import schemas from '../openapi/schemas.json' with { type: 'json' };
import { RouteTable, type RouteMatch } from '../openapi/routes.js';
import type { Operation, OperationParam, SchemaProperties } from '../openapi/types.js';

export type { RouteMatch };

export interface Violation {
  kind:
    | 'unknown_path'
    | 'unknown_method'
    | 'unknown_query_parameter'
    | 'invalid_query_value'
    | 'unknown_body_field'
    | 'invalid_body';
  method: string;
  path: string;
  /** The parameter or field concerned, where there is one. */
  name?: string;
  detail: string;
}

const routes = new RouteTable(operationsDocument.operations);

// Halo behaviour: docs/halo-behaviour.md#case-insensitive-routing
/** Finds the operation for a path relative to `/api` (e.g. `/tickets/12`). */
export function matchRoute(method: string, apiPath: string): RouteMatch | undefined {
  return routes.match(method, apiPath);
}

const INTEGER = /^-?\d+$/;
const NUMBER = /^-?\d+(\.\d+)?$/;
const INTEGER_LIST = /^-?\d+(,-?\d+)*$/;

// Halo behaviour: docs/halo-behaviour.md#binding-error-body
function valueFits(param: OperationParam, value: string): boolean {
  switch (param.type) {
    case 'integer':
      return INTEGER.test(value);
    case 'number':
      return NUMBER.test(value);
    case 'integer-list':
      return INTEGER_LIST.test(value);
    default:
      // Booleans are not checked: the document types several date parameters as bool
      // (`lastupdatefromdate`, `invoicedatestart`), so a type check there would flag correct calls.
      return true;
  }
}

// Halo behaviour: docs/halo-behaviour.md#unknown-params-ignored
/**
 * Checks a request's query string against the operation's declared parameters. Halo binds query
 * names case-insensitively and ignores names it does not know; the sandbox does the same, but
 * reports each unknown name as a violation so tests catch a client relying on a parameter that does
 * not exist. A value that cannot bind to a numeric parameter is a 400 in Halo, and a violation here.
 */
export function checkQuery(operation: Operation, query: URLSearchParams): { violations: Violation[]; invalid: string[] } {
  const declared = new Map(operation.query.map((param) => [param.name.toLowerCase(), param]));
  const violations: Violation[] = [];
  const invalid: string[] = [];
  for (const [name, value] of query) {
    const param = declared.get(name.toLowerCase());
    if (!param) {
      violations.push({
        kind: 'unknown_query_parameter',
        method: operation.method,
        path: operation.path,
        name,
        detail: `${operation.method} ${operation.path} declares no query parameter "${name}"`,
      });
    } else if (!valueFits(param, value)) {
      invalid.push(name);
      violations.push({
        kind: 'invalid_query_value',
        method: operation.method,
        path: operation.path,
        name,
        detail: `"${value}" is not a valid ${param.type} for ${name}`,
      });
    }
  }
  return { violations, invalid };
}

export function schemaProperties(name: string): SchemaProperties | undefined {
  return schemas[name];
}

// Halo behaviour: docs/halo-behaviour.md#unknown-fields-ignored
/**
 * Checks the fields of posted records against the body schema. Halo ignores unknown fields, which
 * hides a misspelt field name (the record is saved without it); the sandbox reports each one.
 */
export function checkBody(operation: Operation, body: unknown): Violation[] {
  const declared = operation.body;
  if (!declared) return [];
  const violation = (kind: Violation['kind'], detail: string, name?: string): Violation => ({
    kind,
    method: operation.method,
    path: operation.path,
    detail,
    ...(name ? { name } : {}),
  });
  if (declared.array && !Array.isArray(body)) {
    return [violation('invalid_body', `${operation.method} ${operation.path} takes a JSON array of records`)];
  }
  const properties = declared.schema ? schemaProperties(declared.schema) : undefined;
  if (!properties) return [];
  const records: unknown[] = Array.isArray(body) ? body : [body];
  const violations: Violation[] = [];
  for (const record of records) {
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      violations.push(violation('invalid_body', `each record of ${operation.path} must be a JSON object`));
      continue;
    }
    for (const field of Object.keys(record)) {
      if (!(field in properties)) {
        violations.push(
          violation('unknown_body_field', `schema ${declared.schema ?? ''} has no field "${field}"`, field),
        );
      }
    }
  }
  return violations;
}

// Halo behaviour: docs/halo-behaviour.md#single-record-bare
/**
 * The record as Halo's full single-record response shapes it: every property of the schema is
 * present, with Halo's empty value where the sandbox holds nothing. Real Halo records are this
 * large, which is what the MCP server's compact output is measured against.
 */
export function expandToSchema(record: Record<string, unknown>, schemaName: string): Record<string, unknown> {
  const properties = schemaProperties(schemaName);
  if (!properties) return record;
  const full: Record<string, unknown> = {};
  for (const [name, type] of Object.entries(properties)) {
    full[name] = name in record ? record[name] : emptyValue(type);
  }
  for (const [name, value] of Object.entries(record)) {
    if (!(name in full)) full[name] = value;
  }
  return full;
}

function emptyValue(type: string): unknown {
  if (type.endsWith('?') || type.startsWith('ref:')) return null;
  if (type.startsWith('array:')) return [];
  switch (type) {
    case 'integer':
    case 'number':
      return 0;
    case 'boolean':
      return false;
    case 'string':
      return '';
    default:
      return null;
  }
}
