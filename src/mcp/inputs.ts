/**
 * Argument schemas shared by the tools, with the descriptions a model reads. Each costs tokens in
 * every conversation, so the descriptions are short and a name-or-id is one string field (the
 * resolver parses it) rather than a union.
 */
import { z } from 'zod';

const numberToString = (value: unknown) => (typeof value === 'number' ? String(value) : value);
const digitsToNumber = (value: unknown) => (typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value);

/** A record named by a person: a name or an id. (A refinement, unlike `min(1)`, costs no schema tokens.) */
export const nameOrId = (description: string) =>
  z.preprocess(numberToString, z.string().trim().refine((value) => value !== '', 'must not be empty')).describe(description);

/** A record's id; digits sent as text are accepted. */
export const recordId = (description: string) => z.preprocess(digitsToNumber, z.number().int().positive()).describe(description);

export const limit = z.number().int().min(1).max(100).default(25).describe('Page size');
export const cursor = z.string().optional().describe('A next_cursor');
export const fields = z.array(z.string()).optional().describe('Raw Halo fields to add');
/** Advertised as a plain string (an enum and a default cost tokens); the refinement still refuses other words. */
export const format = z
  .string()
  .refine((value) => value === 'compact' || value === 'full', 'must be "compact" or "full"')
  .optional()
  .describe('"full" for the raw Halo record');
export const dryRun = z.boolean().default(false).describe('Show the request without sending it');
export const dateRange = (what: string) => z.string().optional().describe(`${what}: date, A..B, or "today", "last 7 days"...`);

/**
 * The shape of every list answer. Items are not spelt out: their fields are in each result, and
 * declaring them here would cost every conversation hundreds of tokens.
 */
export const listOutput = z.object({
  items: z.array(z.record(z.string(), z.unknown())),
  total: z.number(),
  next_cursor: z.string().nullable(),
});

/** What a write answers: the stored record, or with `dry_run` the request it would have sent. */
export const writeOutput = z.looseObject({ dry_run: z.boolean() });

/** A single record: its compact projection, or with `format: "full"` Halo's own fields. */
export const recordOutput = z.record(z.string(), z.unknown());
