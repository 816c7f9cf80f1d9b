/**
 * The shape of the data that `scripts/derive-openapi.ts` derives from Halo's OpenAPI document.
 * The project ships the derived files, never the document itself.
 */

/** A query or path parameter type, normalised from the document's mixed spellings ("int", "bool", ...). */
export type ParamType = 'integer' | 'number' | 'boolean' | 'string' | 'date-time' | 'integer-list' | 'object';

export interface OperationParam {
  name: string;
  type: ParamType;
  description?: string;
  /** Halo refuses the call without it (the document marks none; the overlay does, from evidence). */
  required?: boolean;
  /** Set when the name comes from the overlay rather than the document: where it was seen used against real Halo. */
  evidence?: string[];
}

export interface OperationBody {
  /** Name of the schema in `schemas.json`, when the body is an object or an array of objects. */
  schema?: string;
  /** Halo's upsert endpoints take a JSON array of records. */
  array: boolean;
  /** Primitive body type when there is no schema (a few endpoints take a bare string). */
  type?: string;
  /** Fields the overlay adds to the schema for this operation, with where each was seen used against real Halo. */
  evidence?: Record<string, string[]>;
}

export interface Operation {
  method: 'GET' | 'POST' | 'DELETE';
  /** Path as the document spells it, relative to `/api`, e.g. `/Tickets/{id}`. */
  path: string;
  summary?: string;
  /** The document's tag, which is the name of the record schema (`Faults` for tickets). */
  tag?: string;
  pathParams: OperationParam[];
  query: OperationParam[];
  body?: OperationBody;
}

export interface OperationsDocument {
  /** The document the catalogue was derived from, and how many names the overlay added to it. */
  source: { title: string; version: string; sha256: string; operations: number; paths: number; overlay: number };
  operations: Operation[];
}

/**
 * Property types of one schema, keyed by property name. A type is `integer`, `number`, `string`,
 * `boolean`, `date-time`, `object`, `ref:<Schema>`, or `array:<type>`, with `?` appended when the
 * document marks it nullable.
 */
export type SchemaProperties = Record<string, string>;

export type SchemasDocument = Record<string, SchemaProperties>;
