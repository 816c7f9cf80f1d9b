/**
 * The guard once parsed every query with node-sql-parser, whose time grows exponentially with the
 * nesting of CAST: 48 characters held the event loop 35-50 s and 1.4 GB, 58 characters killed the
 * process with V8 out of memory. The guard now decides on its own linear pass over the tokens; this
 * replays the payloads with the parser made to record being loaded, and checks that nothing loads it.
 */
import { describe, expect, it, vi } from 'vitest';
import { ToolInputError } from '../../src/toolkit/errors.js';
import { checkReadOnlySelect } from '../../src/toolkit/sql.js';

const parserLoads = vi.hoisted(() => ({ count: 0 }));

vi.mock('node-sql-parser/build/transactsql.js', () => {
  parserLoads.count++;
  return {
    default: {
      Parser: class {
        astify(): never {
          throw new Error('the guard must not parse');
        }
      },
    },
  };
});

const cast = (depth: number, closed: boolean) => `SELECT ${'CAST('.repeat(depth)}1${closed ? ' AS int)'.repeat(depth) : ''}`;

describe('nested CAST, as the red team sent it', () => {
  it.each([
    ['48 characters, unclosed', cast(8, false), /not valid T-SQL: 8 "\(" are never closed/],
    ['58 characters, unclosed', cast(10, false), /not valid T-SQL: 10 "\(" are never closed/],
    ['5,000 deep, unclosed', cast(5000, false), /nests parentheses more than 32 deep/],
    ['5,000 deep, closed', cast(5000, true), /nests parentheses more than 32 deep/],
  ])('%s is refused without parsing', (_what, sql, reason) => {
    expect(() => checkReadOnlySelect(sql)).toThrow(ToolInputError);
    expect(() => checkReadOnlySelect(sql)).toThrow(reason);
    expect(parserLoads.count).toBe(0);
  });

  it('32 deep and closed is let through, still without parsing', () => {
    const sql = cast(32, true);
    expect(checkReadOnlySelect(sql)).toBe(sql);
    expect(parserLoads.count).toBe(0);
  });
});
