/**
 * Fault injection for tests and the reliability suite: rules that make matching requests fail the
 * ways real networks and servers fail.
 */
import { z } from 'zod';

export const faultRuleSchema = z
  .object({
    /** Only requests with this method (any when absent). */
    method: z.string().optional(),
    /** A regular expression matched, case-insensitively, against the request path (`/api/tickets/12`, `/auth/token`). */
    path: z.string(),
    /** Answer with this status instead of processing the request. */
    status: z.number().int().min(100).max(599).optional(),
    /** Body of the fault's answer (sent as is, so it can be invalid JSON). */
    body: z.string().optional(),
    /** Seconds for a Retry-After header on the fault's answer. */
    retry_after: z.number().int().min(0).optional(),
    /** Wait this long first: before processing, or with `apply`, before answering. */
    delay_ms: z.number().int().min(0).max(600_000).optional(),
    /** Destroy the socket after reading the request (`true`), or before reading it (`"before_read"`). */
    reset: z.union([z.boolean(), z.literal('before_read')]).optional(),
    /** Process the request, then send only half of the answer and close the connection. */
    truncate: z.boolean().optional(),
    /** Process the request for real first, so that the fault hides a change that did happen. */
    apply: z.boolean().optional(),
    /** How many matching requests the rule affects; every one until the rules are cleared when absent. */
    times: z.number().int().min(1).optional(),
  })
  .strict();

export type FaultRule = z.infer<typeof faultRuleSchema>;

interface ActiveRule {
  rule: FaultRule;
  pattern: RegExp;
  remaining: number;
}

export class FaultInjector {
  private rules: ActiveRule[] = [];

  add(rules: FaultRule[]): void {
    for (const rule of rules) {
      this.rules.push({ rule, pattern: new RegExp(rule.path, 'i'), remaining: rule.times ?? Number.POSITIVE_INFINITY });
    }
  }

  clear(): void {
    this.rules = [];
  }

  list(): (FaultRule & { remaining: number | null })[] {
    return this.rules.map(({ rule, remaining }) => ({ ...rule, remaining: Number.isFinite(remaining) ? remaining : null }));
  }

  /** The first rule matching the request, counting the use against its `times`. */
  take(method: string, path: string): FaultRule | undefined {
    const active = this.rules.find(
      (candidate) =>
        candidate.remaining > 0 &&
        (!candidate.rule.method || candidate.rule.method.toUpperCase() === method.toUpperCase()) &&
        candidate.pattern.test(path),
    );
    if (!active) return undefined;
    active.remaining--;
    if (active.remaining <= 0) this.rules = this.rules.filter((candidate) => candidate !== active);
    return active.rule;
  }
}
