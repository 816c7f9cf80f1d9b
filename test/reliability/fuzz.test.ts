/**
 * Property-based fuzzing of every tool, through an MCP client, against the sandbox. Arguments are
 * generated from the input schema each tool advertises in tools/list: valid ones, biased toward the
 * names and ids the sandbox holds so that most calls reach Halo, and ones that are definitely
 * invalid. Whatever arrives, a call must answer a tool result (never a protocol error, a hang, a
 * stack trace or an internal error); an invalid argument is refused, naming what is wrong, before
 * anything reaches Halo; a valid one succeeds with structured content or says plainly why not;
 * Halo's API document is kept to; and no secret appears in any answer.
 *
 * FUZZ_SEED=<n> replays a run (the summary prints the seed it used); FUZZ_VERBOSE=1 adds an example
 * answer of each outcome to the summary.
 */
import { type CallToolResult, type ElicitResult, type Tool } from '@modelcontextprotocol/client';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HaloRecord, RecordPath } from '../../src/halo/client.js';
import { selectTools } from '../../src/mcp/select.js';
import type { ServerSettings } from '../../src/mcp/settings.js';
import { catalog } from '../../tools/index.js';
import { connectMcp, TEST_SETTINGS, type McpHarness } from '../helpers/mcp.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { SecretScan } from './secrets.js';

type Json = Record<string, unknown>;

/** Every tool on: all toolsets, writes, deletes and SQL. */
const SETTINGS: Partial<ServerSettings> = { toolsets: ['all'], allowDestructive: true, allowSql: true, readOnly: false };
const TOOL_NAMES = selectTools(catalog, { ...TEST_SETTINGS, ...SETTINGS }).map((tool) => tool.name);

/** FUZZ_DEPTH=<n> multiplies the runs, for a longer hunt than the suite's. */
const DEPTH = Number(process.env.FUZZ_DEPTH ?? 1);
/** Runs per tool: with 140 tools about 10,000 calls, in well under a minute on a laptop. */
const VALID_RUNS = 40 * DEPTH;
const INVALID_RUNS = 30 * DEPTH;
/** The gateway takes any path, query and body: the largest space of inputs, so it gets more runs. */
const RUNS_FACTOR: Record<string, number> = { halo_call_operation: 3 };
/** Far above any honest call against a local sandbox: reaching it means a call hung. */
const CALL_TIMEOUT_MS = 15_000;
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);

const STACK_TRACE = /\n\s+at .+:\d+:\d+|\bat async\b/;
/** What leaks when a handler fails in a way nobody anticipated, rather than with an error written for a person. */
const INTERNAL_ERROR =
  /Unexpected error|undefined is not|Cannot read propert|Cannot set propert|Cannot convert|is not a function|is not iterable|is not defined|\[object Object\]|TypeError|RangeError|ReferenceError|URIError|Invalid time value|Maximum call stack/;

// ---------------------------------------------------------------------------------------------
// The JSON Schema the tools advertise, and the subset of it this file turns into generators.

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  format?: string;
  description?: string;
  default?: unknown;
  title?: string;
}

const UNDERSTOOD_KEYWORDS = new Set([
  'type',
  'properties',
  'required',
  'enum',
  'items',
  'anyOf',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'format',
  'description',
  'default',
  'title',
]);
const UNDERSTOOD_TYPES = new Set(['string', 'integer', 'number', 'boolean', 'object', 'array', 'null']);

/** Keywords and types the generators would silently ignore, so that a schema growing past them fails loudly. */
function unsupportedParts(schema: JsonSchema, at: string): string[] {
  const found = Object.keys(schema)
    .filter((keyword) => !UNDERSTOOD_KEYWORDS.has(keyword))
    .map((keyword) => `${at}: keyword ${keyword}`);
  for (const type of typesOf(schema)) if (!UNDERSTOOD_TYPES.has(type)) found.push(`${at}: type ${type}`);
  for (const [name, child] of Object.entries(schema.properties ?? {})) found.push(...unsupportedParts(child, `${at}.${name}`));
  if (schema.items) found.push(...unsupportedParts(schema.items, `${at}[]`));
  (schema.anyOf ?? []).forEach((branch, index) => found.push(...unsupportedParts(branch, `${at}|${index}`)));
  return found;
}

function typesOf(schema: JsonSchema): string[] {
  if (schema.type === undefined) return [];
  return Array.isArray(schema.type) ? schema.type : [schema.type];
}

// ---------------------------------------------------------------------------------------------
// Realistic values: what the sandbox holds, and what people type.

type PoolName = 'clients' | 'sites' | 'users' | 'agents' | 'teams' | 'statuses' | 'ticketTypes' | 'priorities' | 'categories' | 'outcomes' | 'assetTypes';
type Pools = Record<PoolName, string[]>;

/** Arguments that name a record, and the names to draw for them. */
const POOL_OF: Record<string, PoolName> = {
  client: 'clients',
  site: 'sites',
  user: 'users',
  contact: 'users',
  agent: 'agents',
  team: 'teams',
  status: 'statuses',
  new_status: 'statuses',
  ticket_type: 'ticketTypes',
  priority: 'priorities',
  category: 'categories',
  outcome: 'outcomes',
  asset_type: 'assetTypes',
};

const DATE_ARGUMENTS = new Set(['created', 'updated', 'closed', 'start', 'end', 'from', 'to', 'date', 'warranty_end', 'expiry', 'target', 'start_date', 'end_date']);

const WORDS = ['printer', 'vpn', 'password reset', 'Outlook', 'laptop', 'network drive', 'Acme', 'invoice', 'backup', 'firewall', 'new starter', 'email', 'Jane'];
/** Text that has broken parsers, encoders and templates before; all of it is a valid string. */
const HOSTILE_TEXT = [
  '',
  ' ',
  '\t\n ',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  'null',
  'undefined',
  'true',
  '<script>alert(1)</script>',
  "'; DROP TABLE faults; --",
  '../../etc/passwd',
  '%00',
  '%',
  '%E0%A4%A',
  '{id}',
  '\u0000',
  '\u202eevil',
  '\ufeffbom',
  'Ω≈ç√∫',
  '😀👍🏽',
  'ｆｕｌｌ',
  '\ud800',
  'a,b,,c',
];
const CONTROL_CHARACTERS = ['\u0000', '\u0007', '\b', '\t', '\n', '\r', '\u001b', '\u007f', '\u0085', '\u2028', '\u202e', '\ufeff'];

const controlText = fc.string({ unit: fc.constantFrom(...CONTROL_CHARACTERS, 'a', ' '), minLength: 1, maxLength: 20 });
const longText = fc.tuple(fc.constantFrom('a', 'é', '😀', '\u0000', '<p>', 'x '), fc.integer({ min: 2_000, max: 60_000 })).map(([unit, count]) => unit.repeat(count));
const text = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...WORDS) },
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_TEXT) },
  { weight: 1, arbitrary: controlText },
  { weight: 1, arbitrary: longText },
);
const idText = fc.oneof({ weight: 5, arbitrary: fc.integer({ min: 1, max: 300 }).map(String) }, { weight: 1, arbitrary: fc.constantFrom('0', ' 12 ', '007', '999999', '-1', '1.5') });

const when = fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-12-31T23:59:59Z'), noInvalidDate: true });
const isoDate = when.map((date) => date.toISOString().slice(0, 10));
const dateText = fc.oneof(
  { weight: 3, arbitrary: isoDate },
  { weight: 2, arbitrary: when.map((date) => date.toISOString()) },
  { weight: 2, arbitrary: when.map((date) => date.toISOString().slice(0, 16)) },
  { weight: 2, arbitrary: fc.tuple(isoDate, isoDate).map(([from, to]) => `${from}..${to}`) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'today',
      'yesterday',
      'this week',
      'last week',
      'this month',
      'last month',
      'last 7 days',
      'past 3 hours',
      'last 2 weeks',
      'last 0 days',
      'last 100000000 days',
      'last 99999999 months',
      'last 9999999999999999999 hours',
      '2026-02-30',
      '2026-13-01',
      '0000-01-01',
      '9999-12-31',
      '31/12/2026',
      'tomorrow',
      '..',
      '2026-01-01..',
      '..2026-01-01',
      '2026-12-31..2026-01-01',
      '2026-01-01T25:00',
      '2026-06-01T10:00+14:00',
    ),
  },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 2 ** 31 }).map((days) => `last ${days} days`) },
  { weight: 1, arbitrary: text },
);

const RECORD_FIELDS = ['id', 'summary', 'name', 'client_id', 'client_name', 'details_html', 'status_id', 'inactive', 'nope', 'constructor', '__proto__', 'toString', 'hasOwnProperty'];
const fieldsText = fc.oneof(
  { weight: 4, arbitrary: fc.subarray(RECORD_FIELDS, { minLength: 1, maxLength: 4 }).map((names) => names.join(',')) },
  { weight: 1, arbitrary: text },
);
const cursorText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.tuple(fc.integer(), fc.integer(), fc.integer(), fc.string({ maxLength: 12 })).map((position) => Buffer.from(JSON.stringify(position)).toString('base64url')),
  fc.jsonValue({ maxDepth: 2 }).map((value) => Buffer.from(JSON.stringify(value)).toString('base64url')),
);
const GATEWAY_PATHS = [
  '/Tickets',
  '/Tickets/12',
  '/tickets/3',
  'api/Tickets',
  '/api/Client/2',
  '/Client',
  '/Agent/me',
  '/Agent/1',
  '/Status',
  '/Actions',
  '/Users/5',
  '/KBArticle',
  '/Asset/4',
  '/TicketApproval',
  '/Tickets/{id}',
  '/Tickets/12?x=1',
  '/Tickets/%',
  '/Tickets/12%zz',
  '/Tickets/%2F',
  '/Nope',
  '/',
  '//',
];
/** Ids a URL resolves away, so that the request would leave the path that was checked. */
const DOT_SEGMENT_PATHS = ['/Tickets/..', '/Tickets/%2e%2e', '/Tickets/.', '/Client/.%2E', '/Users/%2E', '/Agent/../'];
const pathText = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...GATEWAY_PATHS) },
  { weight: 2, arbitrary: fc.constantFrom(...DOT_SEGMENT_PATHS) },
  { weight: 2, arbitrary: text },
);
const sqlText = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'SELECT 1',
      'SELECT faultid, symptom FROM faults',
      'select top 5 * from area',
      'SELECT COUNT(*) AS n FROM faults WHERE status = 9',
      'WITH x AS (SELECT 1 AS a) SELECT a FROM x',
      'DELETE FROM faults',
      'SELECT * INTO copy FROM faults',
      'SELECT 1; DROP TABLE faults',
      "SELECT * FROM OPENROWSET('x', 'y', 'z')",
      'SELEC 1',
      'SELECT TOP 5 Faultid, Symptom FROM FAULTS ORDER BY Faultid',
      'SELECT Faultid FROM FAULTS ORDER BY Faultid',
      'SELECT nope FROM FAULTS',
      "SELECT 'a\\'; DELETE FROM faults; SELECT \\'x'",
    ),
  },
  { weight: 1, arbitrary: text },
);
const gatewayQuery = fc.dictionary(
  fc.oneof(fc.constantFrom('search', 'count', 'pageinate', 'page_size', 'page_no', 'client_id', 'order', 'orderdesc', 'ticket_id', 'nope'), fc.string({ maxLength: 12 })),
  fc.oneof(fc.integer({ min: -5, max: 500 }), fc.boolean(), text, fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }), fc.object({ maxDepth: 1 })),
  { maxKeys: 4 },
);
const customFields = fc.dictionary(fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 50 }).map(String) }, { weight: 1, arbitrary: fc.string({ maxLength: 8 }) }), fc.jsonValue({ maxDepth: 2 }), {
  maxKeys: 3,
});

/** An object nested `depth` levels deep: deeper than any real argument, shallow enough for JSON. */
function deeplyNested(depth: number): Json {
  let value: Json = { leaf: true };
  for (let level = 0; level < depth; level++) value = { a: value };
  return value;
}

const gatewayBody = fc.oneof(
  fc.constantFrom<unknown>([{ id: 5, summary: 'Fuzzed summary' }], { summary: 'Fuzzed' }, [{ nope: 1 }], [], [1, 2], 'text', 42, null, { id: 3, details_html: deeplyNested(300) }),
  fc.jsonValue({ maxDepth: 3 }),
);

function clamp(value: number, low: number | undefined, high: number | undefined): number {
  return Math.min(high ?? Infinity, Math.max(low ?? -Infinity, value));
}

/** Inclusive bounds of a numeric schema (exclusive ones moved inward). */
function numericBounds(schema: JsonSchema, integer: boolean): { low: number | undefined; high: number | undefined } {
  const step = (bound: number) => (integer ? 1 : Math.max(Number.EPSILON, Math.abs(bound) * Number.EPSILON));
  const low = schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + step(schema.exclusiveMinimum) : schema.minimum;
  const high = schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - step(schema.exclusiveMaximum) : schema.maximum;
  return { low: integer && low !== undefined ? Math.ceil(low) : low, high: integer && high !== undefined ? Math.floor(high) : high };
}

const isIdArgument = (name: string) => name === 'id' || name.endsWith('_id') || name === 'seq';

function integerFor(name: string, schema: JsonSchema): fc.Arbitrary<number> {
  const { low, high } = numericBounds(schema, true);
  const likely = isIdArgument(name)
    ? fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 1, max: 300 }) }, { weight: 1, arbitrary: fc.constantFrom(999_999, 2 ** 31, Number.MAX_SAFE_INTEGER, 0, -1) })
    : name === 'limit'
      ? fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 1, max: 100 }) }, { weight: 1, arbitrary: fc.constantFrom(0, 101, -1, 10_000) })
      : fc.integer({ min: -10, max: 1_000 });
  const any = fc.oneof(fc.integer(), fc.maxSafeInteger());
  // Clamping rather than filtering keeps every value valid and leans toward the bounds, where bugs live.
  return fc.oneof({ weight: 6, arbitrary: likely }, { weight: 1, arbitrary: any }).map((value) => clamp(value, low, high));
}

function numberFor(schema: JsonSchema): fc.Arbitrary<number> {
  const { low, high } = numericBounds(schema, false);
  const likely = fc.oneof(fc.integer({ min: 0, max: 100 }), fc.double({ min: 0, max: 1_000, noNaN: true }));
  const any = fc.double({ noNaN: true, noDefaultInfinity: true });
  return fc.oneof({ weight: 4, arbitrary: likely }, { weight: 1, arbitrary: any }).map((value) => clamp(value, low, high));
}

function stringFor(name: string, schema: JsonSchema, pools: Pools): fc.Arbitrary<string> {
  let arbitrary = plainStringFor(name, schema, pools);
  // JSON Schema counts a string's length in code points, not UTF-16 units.
  if (schema.maxLength !== undefined) {
    const max = schema.maxLength;
    arbitrary = arbitrary.map((value) => Array.from(value).slice(0, max).join(''));
  }
  if (schema.minLength !== undefined) {
    const min = schema.minLength;
    arbitrary = arbitrary.map((value) => value + 'x'.repeat(Math.max(0, min - Array.from(value).length)));
  }
  return arbitrary;
}

function plainStringFor(name: string, schema: JsonSchema, pools: Pools): fc.Arbitrary<string> {
  const pool = POOL_OF[name] ?? (name === 'id' ? 'clients' : undefined);
  if (pool) {
    const names = name === 'agent' ? [...pools[pool], 'me', 'ME '] : name === 'status' ? [...pools[pool], 'open', 'closed'] : pools[pool];
    return fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...names) }, { weight: 2, arbitrary: idText }, { weight: 2, arbitrary: text });
  }
  if (DATE_ARGUMENTS.has(name) || schema.format === 'date' || schema.format === 'date-time') return dateText;
  if (schema.format === 'email' || /^email/.test(name)) return fc.oneof(fc.emailAddress(), text);
  if (schema.format === 'uri' || name === 'url' || name === 'website') return fc.oneof(fc.webUrl(), text);
  switch (name) {
    case 'format':
      return fc.oneof({ weight: 4, arbitrary: fc.constantFrom('compact', 'full') }, { weight: 1, arbitrary: text });
    case 'fields':
      return fieldsText;
    case 'cursor':
      return cursorText;
    case 'path':
      return pathText;
    case 'sql':
      return sqlText;
    case 'table':
      return fc.oneof({ weight: 3, arbitrary: fc.constantFrom('FAULTS', 'faults', 'AREA', '[dbo].[UNAME]', 'Tickets') }, { weight: 1, arbitrary: text });
    case 'timezone':
      return fc.oneof(fc.constantFrom('Europe/London', 'America/New_York', 'UTC', 'Mars/Olympus_Mons'), text);
    case 'data_base64':
      return fc.oneof({ weight: 4, arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('base64')) }, { weight: 1, arbitrary: text });
    case 'filename':
      return fc.oneof(fc.constantFrom('printer.log', 'screenshot.png', 'notes.txt', '../../evil.sh', 'no-extension'), text);
    default:
      return text;
  }
}

function dictionaryFor(name: string): fc.Arbitrary<unknown> {
  if (name === 'custom_fields') return customFields;
  if (name === 'query') return gatewayQuery;
  return fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });
}

/**
 * Arguments that, given at random, are refused whatever else the call says (a cursor this server
 * never issued, a body or query the operation does not take): mostly left out (JSON drops
 * undefined), so that the rest of the call is fuzzed as well.
 */
function mostlyAbsent(name: string, schema: JsonSchema): boolean {
  return name === 'cursor' || name === 'body' || (name === 'query' && typesOf(schema).includes('object'));
}

/** Values valid for a schema: every one a JSON Schema validator would accept. */
function validValue(schema: JsonSchema, name: string, pools: Pools): fc.Arbitrary<unknown> {
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map((branch) => validValue(branch, name, pools)));
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const types = typesOf(schema);
  if (types.length === 0) return name === 'body' ? gatewayBody : fc.jsonValue({ maxDepth: 3 });
  return fc.oneof(...types.map((type) => validValueOfType(type, schema, name, pools)));
}

function validValueOfType(type: string, schema: JsonSchema, name: string, pools: Pools): fc.Arbitrary<unknown> {
  switch (type) {
    case 'string':
      return stringFor(name, schema, pools);
    case 'integer':
      return integerFor(name, schema);
    case 'number':
      return numberFor(schema);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(schema.items ? validValue(schema.items, name, pools) : fc.jsonValue({ maxDepth: 2 }), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? 4, 4)),
      });
    case 'object':
      return schema.properties ? validObject(schema, pools) : dictionaryFor(name);
    default:
      throw new Error(`no generator for type ${type}`);
  }
}

function validObject(schema: JsonSchema, pools: Pools): fc.Arbitrary<Json> {
  const required = schema.required ?? [];
  const model = Object.fromEntries(
    Object.entries(schema.properties ?? {}).map(([name, child]) => {
      const value = validValue(child, name, pools);
      return [name, mostlyAbsent(name, child) && !required.includes(name) ? fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: value }) : value];
    }),
  );
  return fc.record(model, { requiredKeys: required });
}

// ---------------------------------------------------------------------------------------------
// Arguments that are definitely invalid, each with the names a refusal must mention.

interface InvalidCase {
  how: string;
  args: Json;
  /** The refusal must name at least one of these. */
  offending: string[];
}

/** Wrong values, each with the JSON Schema type it has. */
const WRONG_VALUES: { type: string; arbitrary: fc.Arbitrary<unknown> }[] = [
  { type: 'boolean', arbitrary: fc.boolean() },
  { type: 'null', arbitrary: fc.constant(null) },
  { type: 'object', arbitrary: fc.oneof(fc.constant({}), fc.object({ maxDepth: 2 }), fc.constant(deeplyNested(1_000))) },
  { type: 'array', arbitrary: fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }) },
  { type: 'integer', arbitrary: fc.integer() },
  { type: 'number', arbitrary: fc.double({ noInteger: true, noNaN: true, noDefaultInfinity: true }) },
  { type: 'digits', arbitrary: fc.nat().map(String) },
  {
    type: 'string',
    arbitrary: fc
      .oneof(fc.constantFrom('NaN', 'Infinity', '-Infinity', '1e999', '-0.5', '1.5', '0x1F', 'abc', '', ' ', 'null', 'true', 'false'), fc.string({ maxLength: 20 }))
      .filter((value) => !/^\s*\d+\s*$/.test(value)),
  },
  { type: 'string', arbitrary: longText },
];

/**
 * Values of the wrong JSON type for a schema. Three leniencies of the server are documented and
 * deliberate, so they are not counted as wrong: a number where a name or id is asked for, digits
 * where an id is asked for, and a list where `fields` (comma-separated text) is asked for.
 */
function wrongValue(schema: JsonSchema): fc.Arbitrary<unknown> | undefined {
  const types = typesOf(schema);
  if (types.length === 0 && !schema.enum) return undefined;
  const allowed = new Set(types);
  if (allowed.has('integer')) allowed.add('digits');
  if (allowed.has('number')) allowed.add('integer');
  if (allowed.has('string')) {
    allowed.add('digits');
    allowed.add('integer');
    allowed.add('number');
    allowed.add('array');
  }
  const wrong = WRONG_VALUES.filter((candidate) => !allowed.has(candidate.type));
  const enumValues = schema.enum;
  const notInEnum = enumValues
    ? fc
        .oneof(fc.constantFrom(...enumValues.map((value) => String(value).toLowerCase()), 'PATCH', 'unknown', ''), fc.string({ maxLength: 10 }))
        .filter((value) => !enumValues.includes(value))
    : undefined;
  const arbitraries = [...wrong.map((candidate) => candidate.arbitrary), ...(notInEnum ? [notInEnum] : [])];
  return arbitraries.length > 0 ? fc.oneof(...arbitraries) : undefined;
}

/** Numbers just past a schema's bounds, and strings past its length. */
function outOfRangeValue(schema: JsonSchema): fc.Arbitrary<unknown> | undefined {
  const integer = typesOf(schema).includes('integer');
  const beyond: fc.Arbitrary<unknown>[] = [];
  const { low, high } = numericBounds(schema, integer);
  // Filtered as well as bounded: -0 lies below a minimum of 0 for fast-check, but not for JSON or zod.
  if (low !== undefined) {
    beyond.push((integer ? fc.integer({ min: low - 1_000, max: low - 1 }) : fc.double({ min: low - 1_000, max: low, noNaN: true })).filter((value) => value < low));
  }
  if (high !== undefined) {
    beyond.push((integer ? fc.integer({ min: high + 1, max: high + 1_000 }) : fc.double({ min: high, max: high + 1_000, noNaN: true })).filter((value) => value > high));
  }
  if (schema.maxLength !== undefined) beyond.push(fc.integer({ min: schema.maxLength + 1, max: schema.maxLength + 500 }).map((length) => 'x'.repeat(length)));
  return beyond.length > 0 ? fc.oneof(...beyond) : undefined;
}

const PROTOTYPE_KEYS = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', '__defineGetter__', 'prototype'];

function unknownKey(schema: JsonSchema): fc.Arbitrary<string> {
  const declared = Object.keys(schema.properties ?? {});
  const nearMisses = declared.flatMap((name) => [name.toUpperCase(), `${name}_`, name.replace(/_(\w)/g, (_match, letter: string) => letter.toUpperCase())]);
  return fc
    .oneof(
      { weight: 3, arbitrary: fc.constantFrom(...PROTOTYPE_KEYS) },
      { weight: 3, arbitrary: fc.constantFrom(...nearMisses, 'dry_run', 'confirm', 'fields', 'limit', 'id', 'ticketId') },
      { weight: 2, arbitrary: fc.string({ minLength: 1, maxLength: 16 }) },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }) },
    )
    // __proto__ is left to its own case below: the SDK's request schema drops that key before the server sees it.
    .filter((key) => !declared.includes(key) && key !== '__proto__');
}

function invalidCases(schema: JsonSchema, pools: Pools): fc.Arbitrary<InvalidCase> {
  const valid = validObject(schema, pools);
  const properties = Object.entries(schema.properties ?? {});
  const required = schema.required ?? [];
  const cases: fc.Arbitrary<InvalidCase>[] = [
    fc
      .tuple(valid, unknownKey(schema), fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant(deeplyNested(1_000)), longText))
      .map(([args, key, value]) => ({ how: 'unknown argument', args: { ...args, [key]: value }, offending: [key] })),
  ];

  const wrongTyped = properties.flatMap(([name, child]) => {
    const wrong = wrongValue(child);
    return wrong ? [fc.tuple(valid, wrong).map(([args, value]) => ({ how: 'wrong type', args: { ...args, [name]: value }, offending: [name] }))] : [];
  });
  if (wrongTyped.length > 0) cases.push(fc.oneof(...wrongTyped));

  // A wrong field inside a list of records (invoice lines): the refusal must reach into the list.
  const wrongNested = properties.flatMap(([name, child]) => {
    const items = child.items;
    if (!items?.properties) return [];
    return Object.entries(items.properties).flatMap(([field, fieldSchema]) => {
      const wrong = wrongValue(fieldSchema);
      return wrong
        ? [fc.tuple(valid, validObject(items, pools), wrong).map(([args, item, value]) => ({ how: 'wrong type in a list', args: { ...args, [name]: [{ ...item, [field]: value }] }, offending: [field] }))]
        : [];
    });
  });
  if (wrongNested.length > 0) cases.push(fc.oneof(...wrongNested));

  if (required.length > 0) {
    cases.push(
      fc.tuple(valid, fc.constantFrom(...required)).map(([args, name]) => {
        const { [name]: _dropped, ...rest } = args;
        return { how: 'missing required', args: rest, offending: [name] };
      }),
    );
    // Arguments hidden in a prototype must not count: the server sees an object without them.
    cases.push(valid.map((args) => ({ how: 'arguments behind __proto__', args: JSON.parse(`{"__proto__":${JSON.stringify(args)}}`) as Json, offending: ['__proto__', ...required] })));
  }

  const outOfRange = properties.flatMap(([name, child]) => {
    const beyond = outOfRangeValue(child);
    return beyond ? [fc.tuple(valid, beyond).map(([args, value]) => ({ how: 'out of range', args: { ...args, [name]: value }, offending: [name] }))] : [];
  });
  if (outOfRange.length > 0) cases.push(fc.oneof(...outOfRange));

  return fc.oneof(...cases);
}

// ---------------------------------------------------------------------------------------------
// The run.

let sandbox: TestSandbox;
let mcp: McpHarness;
let pools: Pools;
const advertised = new Map<string, Tool>();
/** The texts of the running test's answers, for its secret scan. */
let scan = new SecretScan();
const unexpected: string[] = [];
/** Violations the sandbox had recorded before the latest call; a reset clears them. */
let violationsSeen = 0;
/** Totals over the tests that ran, for the summary printed at the end; no test depends on them. */
const stats = { calls: 0, valid: 0, invalid: 0, validOk: 0, outcomes: new Map<string, number>(), started: 0 };

const onRejection = (reason: unknown) => unexpected.push(`unhandled rejection: ${String(reason)}`);
const onException = (error: Error) => unexpected.push(`uncaught exception: ${error.message}`);

/**
 * Deletes and merges are confirmed one time in three, declined or refused otherwise, so that every
 * path of the confirmation is fuzzed. The sandbox is reset before each tool, so what one tool
 * deletes cannot leave the next with nothing to find.
 */
const ELICIT_ANSWERS: ElicitResult[] = [{ action: 'accept', content: { confirm: true } }, { action: 'decline' }, { action: 'accept', content: { confirm: false } }];
let elicitations = 0;

/** One example answer per outcome, printed with FUZZ_VERBOSE=1 to see what each kind of refusal says. */
const examples = new Map<string, string>();

function count(outcome: string, example: string): void {
  stats.outcomes.set(outcome, (stats.outcomes.get(outcome) ?? 0) + 1);
  if (!examples.has(outcome)) examples.set(outcome, example.slice(0, 300));
}

function errorKind(message: string): string {
  if (message.startsWith('Invalid arguments:')) return 'invalid arguments';
  if (/^No .+ matches|matches \d+ .+; use|More than one/.test(message)) return 'name not resolved';
  if (/Not confirmed|needs confirmation/.test(message)) return 'not confirmed';
  if (/found nothing|not found/i.test(message)) return 'not found';
  if (/cursor/i.test(message)) return 'bad cursor';
  const status = /\((\d{3})\)/.exec(message)?.[1];
  if (status) return `Halo ${status}`;
  return 'other refusal';
}

function preview(value: unknown): string {
  const json = JSON.stringify(value);
  return json.length > 500 ? `${json.slice(0, 500)}… (${json.length} characters)` : json;
}

interface Answer {
  isError: boolean;
  text: string;
  structured: Json | undefined;
  /** Requests the call sent to Halo. */
  requests: number;
}

/** One call as a client on the wire makes it: the arguments as JSON, with a deadline. */
async function invoke(name: string, args: Json): Promise<Answer> {
  const wire = JSON.parse(JSON.stringify(args)) as Json;
  const before = mcp.halo.stats.requests;
  stats.calls++;
  let result: CallToolResult;
  try {
    result = (await mcp.client.callTool({ name, arguments: wire }, { timeout: CALL_TIMEOUT_MS }));
  } catch (error) {
    return expect.fail(`${name} did not answer a tool result: ${String(error)}\narguments: ${preview(args)}`);
  }
  const text = result.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n');
  scan.add(`${name} ${preview(args)}`, text);
  expect(text, `${name} answered a stack trace for ${preview(args)}`).not.toMatch(STACK_TRACE);
  return { isError: result.isError === true, text, structured: result.structuredContent as Json | undefined, requests: mcp.halo.stats.requests - before };
}

/**
 * Where a value holds something JSON cannot carry (a function, Infinity, NaN): an in-memory client
 * sees it, a client on the wire gets null or nothing instead.
 */
function notJson(value: unknown, at: string): string | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : `${at} is ${value}`;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = item === undefined ? `${at}[${index}] is undefined` : notJson(item, `${at}[${index}]`);
      if (found) return found;
    }
    return undefined;
  }
  const prototype: unknown = typeof value === 'object' ? Object.getPrototypeOf(value) : undefined;
  if (typeof value === 'object' && (prototype === Object.prototype || prototype === null)) {
    for (const [key, item] of Object.entries(value)) {
      // An undefined field is left out by JSON, which is what leaving it out means.
      const found = item === undefined ? undefined : notJson(item, `${at}.${key}`);
      if (found) return found;
    }
    return undefined;
  }
  return `${at} is a ${typeof value}`;
}

/**
 * Every field a call asked for is in its answer or named as missing: never dropped silently. A
 * record cut to the size budget may leave out the list of missing fields itself, and says so.
 */
function expectFieldsAccountedFor(name: string, args: Json, answer: Json): void {
  if (typeof args.fields !== 'string') return;
  const wanted = args.fields
    .split(',')
    .map((field) => field.trim())
    .filter(Boolean);
  const records = Array.isArray(answer.items) ? (answer.items as Json[]) : [answer];
  // A list whose records all miss the same fields names them once, beside its items.
  const missingFromAll = Array.isArray(answer.items) && Array.isArray(answer.missing_fields) ? (answer.missing_fields as string[]) : [];
  for (const record of records) {
    const omitted = Array.isArray(record.omitted_fields) ? (record.omitted_fields as string[]) : [];
    if (omitted.includes('missing_fields')) continue;
    const named = new Set([...Object.keys(record), ...omitted, ...missingFromAll, ...(Array.isArray(record.missing_fields) ? (record.missing_fields as string[]) : [])]);
    for (const field of wanted) expect(named.has(field), `${name} dropped the field ${preview(field)} silently for ${preview(args)}`).toBe(true);
  }
}

/**
 * The names a gateway call gives that Halo's document may lack: the gateway sends those on
 * purpose (live tenants take names newer than the document) and says so in its answer, so the
 * sandbox's report of them is no fault of the call.
 */
function namesSentOnPurpose(name: string, args: Json): Set<string> {
  if (name !== 'halo_call_operation') return new Set();
  const isRecord = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
  const records = Array.isArray(args.body) ? (args.body as unknown[]) : [args.body];
  return new Set([...(isRecord(args.query) ? Object.keys(args.query) : []), ...records.filter(isRecord).flatMap((record) => Object.keys(record))]);
}

async function expectValidAnswered(name: string, args: Json): Promise<void> {
  stats.valid++;
  const destructive = advertised.get(name)?.annotations?.destructiveHint === true;
  if (destructive) await sandbox.clearRequests();
  const answer = await invoke(name, args);
  const where = `${name} ${preview(args)}`;
  if (destructive && /Not confirmed|needs confirmation/.test(answer.text)) {
    const writes = (await sandbox.apiRequests()).filter((request) => request.method !== 'GET');
    expect(writes, `${where}: changed Halo although the person did not confirm`).toEqual([]);
  }
  // Checked after every call, so that a violation comes with the arguments that caused it (and shrinks to them).
  const violations = await sandbox.violations();
  const onPurpose = namesSentOnPurpose(name, args);
  const sentUnknown = (violation: (typeof violations)[number]) =>
    (violation.kind === 'unknown_query_parameter' || violation.kind === 'unknown_body_field') && violation.name !== undefined && onPurpose.has(violation.name);
  const fresh = violations.slice(violationsSeen);
  violationsSeen = violations.length;
  expect(fresh.filter((violation) => !sentUnknown(violation)), `${where}: sent Halo a request its API document does not allow`).toEqual([]);
  if (!answer.isError && fresh.some(sentUnknown)) expect(answer.structured?.not_in_document, `${where}: sent names the document lacks without saying so`).toBeDefined();
  if (!answer.isError) {
    stats.validOk++;
    count('valid: success', `${where} -> ${answer.text}`);
    expect(answer.structured, `${where}: success without structured content`).toBeTypeOf('object');
    expect(notJson(answer.structured, '$'), `${where}: the structured content does not survive JSON`).toBeUndefined();
    expectFieldsAccountedFor(name, args, answer.structured ?? {});
    const items = answer.structured?.items;
    // A list reads as a table, one line per item under a summary and a header: no value may break a line.
    if (Array.isArray(items) && items.length > 0 && items.every((item) => typeof item === 'object' && item !== null && !Array.isArray(item))) {
      expect(answer.text.split('\n'), `${where}: the table does not hold one line per item`).toHaveLength(items.length + 2);
    }
    return;
  }
  count(`valid: ${errorKind(answer.text)}`, `${where} -> ${answer.text}`);
  expect(answer.text.trim(), `${where}: an error without a message`).not.toBe('');
  expect(answer.text, `${where}: an internal error leaked`).not.toMatch(INTERNAL_ERROR);
}

async function expectInvalidRefused(name: string, invalid: InvalidCase): Promise<void> {
  stats.invalid++;
  const answer = await invoke(name, invalid.args);
  const where = `${name}, ${invalid.how}, ${preview(invalid.args)}`;
  count(`invalid: ${answer.isError ? errorKind(answer.text) : 'ACCEPTED'}`, `${where} -> ${answer.text}`);
  expect(answer.isError, `${where}: accepted: ${answer.text.slice(0, 300)}`).toBe(true);
  expect(answer.text, `${where}: an internal error leaked`).not.toMatch(INTERNAL_ERROR);
  expect(
    invalid.offending.some((offending) => answer.text.includes(offending)),
    `${where}: the refusal names none of ${invalid.offending.join(', ')}: ${answer.text.slice(0, 300)}`,
  ).toBe(true);
  expect(answer.requests, `${where}: reached Halo before being refused`).toBe(0);
}

async function loadPools(): Promise<Pools> {
  const names = async (path: RecordPath, field = 'name'): Promise<string[]> => {
    const { items } = await mcp.halo.list(path, { count: 100 });
    const found = items.map((record: HaloRecord) => record[field]).filter((value): value is string => typeof value === 'string' && value.trim() !== '');
    expect(found.length, `names from ${path}`).toBeGreaterThan(0);
    return found;
  };
  return {
    clients: await names('/Client'),
    sites: await names('/Site'),
    users: await names('/Users'),
    agents: await names('/Agent'),
    teams: await names('/Team'),
    statuses: await names('/Status'),
    ticketTypes: await names('/TicketType'),
    priorities: await names('/Priority'),
    categories: await names('/Category', 'value'),
    outcomes: await names('/Outcome', 'outcome'),
    assetTypes: await names('/AssetType'),
  };
}

beforeAll(async () => {
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtExceptionMonitor', onException);
  sandbox = await startTestSandbox();
  mcp = await connectMcp(sandbox, SETTINGS, { elicit: () => ELICIT_ANSWERS[elicitations++ % ELICIT_ANSWERS.length] ?? { action: 'cancel' } });
  for (const tool of (await mcp.client.listTools()).tools) advertised.set(tool.name, tool);
  pools = await loadPools();
  stats.started = performance.now();
});

afterAll(async () => {
  process.off('unhandledRejection', onRejection);
  process.off('uncaughtExceptionMonitor', onException);
  printSummary();
  await mcp.close();
  await sandbox.close();
});

/** What the run did, with its seed to replay it: a report, not a check (each test checks its own calls). */
function printSummary(): void {
  if (stats.calls === 0) return;
  const seconds = ((performance.now() - stats.started) / 1000).toFixed(1);
  const outcomes = [...stats.outcomes].sort(([a], [b]) => a.localeCompare(b)).map(([outcome, total]) => `  ${outcome}: ${total}`);
  console.log(
    [
      `fuzz: ${stats.calls} calls to ${TOOL_NAMES.length} tools in ${seconds} s (seed ${SEED}): ${stats.valid} valid (${stats.validOk} succeeded), ${stats.invalid} invalid`,
      ...outcomes,
      `  confirmations asked: ${elicitations}`,
      ...(process.env.FUZZ_VERBOSE ? [...examples].map(([outcome, example]) => `  e.g. ${outcome}: ${example}`) : []),
    ].join('\n'),
  );
}

describe('the fuzzer covers every tool', () => {
  it('is offered every tool of the catalog', () => {
    expect([...advertised.keys()].sort()).toEqual([...TOOL_NAMES].sort());
    expect(new Set(TOOL_NAMES)).toEqual(new Set(catalog.map((tool) => tool.name)));
  });

  it('understands every part of every advertised input schema', () => {
    const unsupported = [...advertised.values()].flatMap((tool) => unsupportedParts(tool.inputSchema as JsonSchema, tool.name));
    expect(unsupported).toEqual([]);
  });
});

/**
 * What every test of a tool checks once its calls are done: no unhandled rejection or uncaught
 * exception while it ran, and no secret in any of its answers.
 */
async function fuzzed(test: () => Promise<void>): Promise<void> {
  await sandbox.reset();
  violationsSeen = 0;
  scan = new SecretScan();
  const unexpectedBefore = unexpected.length;
  await test();
  expect(unexpected.slice(unexpectedBefore), 'unhandled rejections and uncaught exceptions').toEqual([]);
  await scan.assertClean(sandbox);
}

describe('fuzzing each tool', () => {
  TOOL_NAMES.forEach((name, index) => {
    it(name, () =>
      fuzzed(async () => {
        const schema = advertised.get(name)?.inputSchema as JsonSchema | undefined;
        expect(schema, `${name} is listed`).toBeDefined();
        if (!schema) return;
        const seed = SEED + index;
        const runs = RUNS_FACTOR[name] ?? 1;
        const callsBefore = stats.calls;
        await fc.assert(
          fc.asyncProperty(validObject(schema, pools), (args) => expectValidAnswered(name, args)),
          { numRuns: VALID_RUNS * runs, seed },
        );
        await fc.assert(
          fc.asyncProperty(invalidCases(schema, pools), (invalid) => expectInvalidRefused(name, invalid)),
          { numRuns: INVALID_RUNS * runs, seed },
        );
        expect(stats.calls - callsBefore).toBeGreaterThanOrEqual((VALID_RUNS + INVALID_RUNS) * runs);
        expect(scan.size).toBe(stats.calls - callsBefore);
      }),
    );
  });
});

describe('the generators', () => {
  /** Valid arguments drawn for each tool: enough to judge the generators, a fraction of a tool's fuzzing. */
  const SAMPLES_PER_TOOL = 5;

  it('make valid arguments that mostly reach Halo and succeed, or the fuzzer would only ever test refusals', () =>
    fuzzed(async () => {
      let valid = 0;
      let succeeded = 0;
      for (const [index, name] of TOOL_NAMES.entries()) {
        const schema = advertised.get(name)?.inputSchema as JsonSchema | undefined;
        expect(schema, `${name} is listed`).toBeDefined();
        if (!schema) continue;
        for (const args of fc.sample(validObject(schema, pools), { numRuns: SAMPLES_PER_TOOL, seed: SEED + index })) {
          valid++;
          if (!(await invoke(name, args)).isError) succeeded++;
        }
      }
      expect(valid).toBe(TOOL_NAMES.length * SAMPLES_PER_TOOL);
      expect(succeeded).toBeGreaterThan(valid / 3);
    }));
});
