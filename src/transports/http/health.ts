/**
 * /healthz and /readyz, for load balancers and orchestrators. /healthz says whether the process
 * serves, and 503 while it drains, so that it leaves the rotation before it stops. /readyz says
 * whether its Halos answer and take their credentials; each check asks Halo for a token, so an answer
 * is reused for a while (an unauthenticated caller cannot make the server ask Halo more often), and
 * why a Halo is not ready (which may name it) is told only to a caller with a token. With replicas
 * sharing state through Redis, a caller with a token also sees whether Redis is connected: a
 * replica without it still serves, within its own share of Halo's budget, so it stays ready.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Redactor } from '../../util/redact.js';
import type { Backend } from './options.js';

/** How long a /readyz answer is reused. */
const READINESS_TTL_MS = 30_000;
/** How long one readiness check may take: a load balancer's probe gives up after seconds. */
const READINESS_TIMEOUT_MS = 5_000;

export const HEALTH_PATHS: readonly string[] = ['/healthz', '/readyz'];

interface Readiness {
  ready: boolean;
  /** Why not, for a caller with a token. */
  error?: string;
  checkedAt: number;
}

/** Where the state replicas share is kept, and whether it can be reached now. */
export interface SharedStateReport {
  where: string;
  connected: boolean;
  since: string;
  lastError?: string;
}

export interface HealthSources {
  /** Backends whose Halo /readyz checks. */
  backends: () => Backend[];
  isDraining: () => boolean;
  isAuthenticated: (request: IncomingMessage) => Promise<boolean>;
  redactor: Redactor;
  /** The shared state's report, when replicas share state. */
  sharedState?: () => SharedStateReport;
}

export class Health {
  private answer: Readiness | undefined;
  private check: Promise<Readiness> | undefined;

  constructor(private readonly sources: HealthSources) {}

  /** Answers a GET of one of HEALTH_PATHS. */
  async serve(path: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (path === '/healthz') {
      const draining = this.sources.isDraining();
      response.writeHead(draining ? 503 : 200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: draining ? 'draining' : 'ok' }));
      return;
    }
    const { ready, error } = await this.readiness();
    const { sharedState } = this.sources;
    const authenticated = (error !== undefined || sharedState !== undefined) && (await this.sources.isAuthenticated(request));
    const detail = authenticated ? { ...(error !== undefined ? { error } : {}), ...(sharedState ? { shared: sharedState() } : {}) } : {};
    response.writeHead(ready ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ ready, ...detail }));
  }

  /** The last readiness answer while it is fresh; otherwise one check for every caller waiting. */
  private readiness(): Readiness | Promise<Readiness> {
    if (this.answer && Date.now() - this.answer.checkedAt < READINESS_TTL_MS) return this.answer;
    this.check ??= Promise.all(this.sources.backends().map((backend) => backend.halo.probe({ timeoutMs: READINESS_TIMEOUT_MS })))
      .then(
        (): Readiness => ({ ready: true, checkedAt: Date.now() }),
        (error: unknown): Readiness => ({ ready: false, error: this.sources.redactor.redact(error instanceof Error ? error.message : String(error)), checkedAt: Date.now() }),
      )
      .then((answer) => (this.answer = answer))
      .finally(() => (this.check = undefined));
    return this.check;
  }
}
