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

/** Required text. (A refinement, unlike `min(1)`, costs no schema tokens.) */
export const requiredText = (description: string) =>
  z
    .string()
    .trim()
    .refine((value) => value !== '', 'must not be empty')
    .describe(description);

/** A record's id; digits sent as text are accepted. */
export const recordId = (description: string) => z.preprocess(digitsToNumber, z.number().int().positive()).describe(description);

/** Bounds are checked by a refinement: written as minimum/maximum they would cost tokens on every list tool. */
export const limit = z
  .number()
  .int()
  .refine((value) => value >= 1 && value <= 100, 'must be from 1 to 100')
  .default(25)
  .describe('Max 100');
export const cursor = z.string().optional().describe('A next_cursor');
/**
 * Every field named is looked up in every record of a page, and named again when it is missing:
 * a long list costs seconds and floods the answer, while Halo's records have at most a few hundred
 * fields with short names. (Refinements cost no schema tokens.)
 */
const MAX_FIELDS = 100;
const MAX_FIELD_NAME = 100;
/** Advertised as one string (cheaper than an array schema); a list is accepted as well. */
export const fields = z
  .preprocess(
    (value) => (Array.isArray(value) ? value.join(',') : value),
    z
      .string()
      .transform((value) =>
        value
          .split(',')
          .map((name) => name.trim())
          .filter(Boolean),
      )
      .refine((names) => names.length <= MAX_FIELDS, `at most ${MAX_FIELDS} fields`)
      .refine((names) => names.every((name) => name.length <= MAX_FIELD_NAME), `field names have at most ${MAX_FIELD_NAME} characters`),
  )
  .optional()
  .describe('Raw fields to add, comma separated');
/** Advertised as a plain string (an enum and a default cost tokens); the refinement still refuses other words. */
export const format = z
  .string()
  .refine((value) => value === 'compact' || value === 'full', 'must be "compact" or "full"')
  .optional()
  .describe('"full": the raw record');
export const dryRun = z.boolean().default(false).describe('Preview: send nothing');
export const dateRange = (what: string) => z.string().optional().describe(`${what}: date, A..B, or "today", "last 7 days"...`);
