/**
 * How a setting's text becomes a value, shared by every part of the configuration: what counts as
 * absent, whole numbers, switches and lists, each refused with a message that names the setting and
 * what it got. A part collects every problem of its settings into one ConfigError.
 */
import { z } from 'zod';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`The configuration is not usable:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export type Env = Record<string, string | undefined>;

/**
 * Empty means absent. So does a placeholder a client left unsubstituted (`${user_config.tenant}`,
 * which an MCP bundle host may pass through for an optional field the person left empty).
 */
const UNSUBSTITUTED = /^\$\{[\w.]+\}$/;

export const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value && !UNSUBSTITUTED.test(value) ? value : undefined));

/** The environment without empty values and unsubstituted placeholders, so that required settings report as missing. */
export function present(env: Env): Env {
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== '' && !UNSUBSTITUTED.test(value.trim())));
}

/** The values a schema reads from the environment, or a ConfigError with every problem it found. */
export function parseEnv<Schema extends z.ZodType>(schema: Schema, env: Env): z.output<Schema> {
  const result = schema.safeParse(env);
  if (!result.success) throw new ConfigError(result.error.issues.map((issue) => issue.message));
  return result.data;
}

/** The longest delay Node's timers hold (2^31 - 1 ms, about 24.8 days): a longer one fires at once. */
export const TIMER_MAX_MS = 2_147_483_647;
export const TIMER_MAX_SECONDS = Math.floor(TIMER_MAX_MS / 1000);

export const positiveInteger = (name: string, fallback: number, min = 1, max = Number.MAX_SAFE_INTEGER) =>
  optionalText.transform((value, context) => {
    if (value === undefined) return fallback;
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`;
      context.addIssue({ code: 'custom', message: `${name} must be a whole number ${range} (got "${value}")` });
      return z.NEVER;
    }
    return Number(value);
  });

const BOOLEAN_WORDS: Record<string, boolean> = { true: true, '1': true, yes: true, on: true, false: false, '0': false, no: false, off: false };

export function booleanSetting(name: string) {
  return optionalText.transform((value, context) => {
    if (value === undefined) return false;
    const parsed = BOOLEAN_WORDS[value.toLowerCase()];
    if (parsed === undefined) {
      context.addIssue({ code: 'custom', message: `${name} must be true or false (got "${value}")` });
      return z.NEVER;
    }
    return parsed;
  });
}

/** The items of a comma-separated setting, trimmed, without empty ones. */
export function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}
