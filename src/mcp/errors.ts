/**
 * What a tool says when it cannot do what was asked: always a tool result with `isError`, never a
 * thrown stack, and always something a model can act on.
 */
import { z } from 'zod';
import { HaloError } from '../halo/errors.js';
import { ResolutionError, ToolInputError } from '../toolkit/errors.js';
import { singleLine, visibleText } from '../toolkit/untrusted.js';

const NEXT_STEP: Partial<Record<HaloError['kind'], string>> = {
  auth: 'Run halo_whoami to see the connection settings.',
  permission: 'Run halo_whoami to see the scopes granted.',
  not_found: 'Check the id, or search for the record first.',
  rate_limited: 'Wait a little before calling again.',
  network: 'Run halo_whoami to check that Halo can be reached.',
};

function describeZodError(error: z.ZodError): string {
  const lines = error.issues.map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join('.') : 'arguments';
    if (issue.code === 'unrecognized_keys') return `${where}: unknown argument${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `"${key}"`).join(', ')}`;
    return `${where}: ${issue.message}`;
  });
  return `Invalid arguments:\n${lines.map((line) => `- ${line}`).join('\n')}`;
}

/** Errors quote what was asked; a quote longer than this is cut, so that an error stays a sentence. */
const MAX_QUOTE = 200;
const LONG_QUOTE = new RegExp(`"([^"\\n]{${MAX_QUOTE + 1},})"`, 'g');
/** The most an error text may take of a context window, whatever it holds. */
const MAX_ERROR_CHARS = 4_000;

/** The first characters of a text, never ending on half of a surrogate pair. */
function head(text: string, length: number): string {
  return text.slice(0, length).replace(/[\uD800-\uDBFF]$/, '');
}

function clip(text: string): string {
  const quotesCut = text.replace(LONG_QUOTE, (_quote, inner: string) => `"${head(inner, MAX_QUOTE)}…" (${Array.from(inner).length} characters)`);
  return quotesCut.length > MAX_ERROR_CHARS ? `${head(quotesCut, MAX_ERROR_CHARS)}… (error cut at ${MAX_ERROR_CHARS} characters)` : quotesCut;
}

/** The text of the error result for anything a handler throws. */
export function toolErrorText(error: unknown, redact: (text: string) => string): string {
  return clip(errorText(error, redact));
}

function errorText(error: unknown, redact: (text: string) => string): string {
  if (error instanceof z.ZodError) return describeZodError(error);
  // Halo's words (candidates' names, its error messages) are shown as visible text; the caller's own words as they were given.
  if (error instanceof ResolutionError) {
    const list = error.candidates.map((candidate) => `${singleLine(candidate.name)} (id ${candidate.id})`).join(', ');
    return list ? `${error.message} Closest: ${list}.` : error.message;
  }
  if (error instanceof ToolInputError) return error.message;
  if (error instanceof HaloError) {
    const next = NEXT_STEP[error.kind];
    return redact(next ? `${visibleText(error.message)} ${next}` : visibleText(error.message));
  }
  const message = error instanceof Error ? error.message : String(error);
  return redact(`Unexpected error: ${message}`);
}
