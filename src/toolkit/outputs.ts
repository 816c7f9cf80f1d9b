/**
 * The shapes of the tools' answers, by family. Every successful call of every test is checked
 * against its tool's schema (test/helpers/mcp.ts); the handler's return type follows the schema's
 * TypeScript type, which the checks that only run (a record's id, a dry run's request) leave loose.
 * tools/list does not send them: they would cost every conversation tokens, and the results carry
 * their fields anyway.
 */
import { z } from 'zod';

/** A record as a projection or Halo writes it: an object, whatever its fields. */
export const anyRecord = z.record(z.string(), z.unknown());

/** Halo's ids are numbers; a few records (a report's rows, an operation) are named by text. */
const recordKey = z.union([z.number().int(), z.string().min(1)]);

/** A page of a list: the items shown, all matches in Halo, and the cursor to the next page (null on the last). */
export const listOutput = z.looseObject({
  items: z.array(anyRecord),
  total: z.number().int().nonnegative(),
  next_cursor: z.string().min(1).nullable(),
});

/** A text search's page, which says how it matched when the text as written found nothing. */
export const searchOutput = listOutput.extend({ matched: z.string().optional() });

/**
 * One record, by id: its compact projection, Halo's own fields with `format: "full"`, or as many
 * fields as fit with the names of those left out. Whichever, it names the record it is.
 */
export const recordOutput = anyRecord.refine((record) => recordKey.safeParse(record.id).success, 'a record names itself with its id');

/** The request a dry run would have sent, or the requests when it would send several. */
const plannedRequest = z.looseObject({ method: z.enum(['GET', 'POST', 'DELETE']), path: z.string().startsWith('/') });
const plannedRequests = z.union([plannedRequest, z.array(plannedRequest).min(1)]);

/**
 * What a write answers: with `dry_run`, the request it would have sent (and what it would change);
 * otherwise what it did, which is more than the flag alone.
 */
export const writeOutput = z.looseObject({ dry_run: z.boolean() }).superRefine((answer, check) => {
  if (answer.dry_run && !plannedRequests.safeParse(answer.request).success) {
    check.addIssue({ code: 'custom', message: 'a dry run shows the request it would have sent: method and path' });
  }
  if (!answer.dry_run && Object.keys(answer).length < 2) check.addIssue({ code: 'custom', message: 'a write says what it did, not only that it was no dry run' });
});
