/** What a tool throws when an argument passed its schema but cannot be used; `src/mcp/errors.ts` turns it into an answer a model can act on. */

/** An argument that passed the schema but cannot be used (a date that is not one, a conflict). */
export class ToolInputError extends Error {
  override name = 'ToolInputError';
}

/** A name that matched no record, or several. */
export class ResolutionError extends ToolInputError {
  override name = 'ResolutionError';

  constructor(
    message: string,
    readonly candidates: { id: number; name: string }[],
  ) {
    super(message);
  }
}
