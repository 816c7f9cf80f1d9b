/**
 * The backends of people signed in with --oauth: each sign-in gets a Halo client that acts as its
 * technician (sharing the server's connections and rate limit) and a backend of its own, so that
 * its name cache and its Halo tokens are its own. Backends of sign-ins seen recently are kept; the
 * least recently used goes first, and one whose sign-in Halo ended goes at once.
 */
import type { HaloClient } from '../halo/client.js';
import type { HaloClientConfig } from '../halo/config.js';
import type { Backend } from '../transports/http/options.js';
import type { Grants, SignInGrant } from './grants.js';

/** Backends kept for sign-ins seen recently. */
const CACHE_LIMIT = 200;

export interface SignInBackendsOptions {
  /** The server's own Halo client, whose connections and rate limit every sign-in's client shares. */
  halo: HaloClient;
  /** The Halo application technicians sign in through. */
  login: Pick<HaloClientConfig, 'clientId' | 'clientSecret'>;
  grants: Grants;
  build: (halo: HaloClient, signIn: SignInGrant) => Backend;
}

export class SignInBackends {
  private readonly backends = new Map<string, Backend>();

  constructor(private readonly options: SignInBackendsOptions) {}

  backendFor(signIn: SignInGrant): Backend {
    const { signInId } = signIn;
    let found = this.backends.get(signInId);
    if (found) {
      this.backends.delete(signInId);
    } else {
      if (this.backends.size >= CACHE_LIMIT) {
        const oldest = this.backends.keys().next().value;
        if (oldest !== undefined) this.backends.delete(oldest);
      }
      const keeper = this.options.grants.keeper(signInId, () => this.backends.delete(signInId));
      // An evicted client needs no closing: it shares the server's connections, and a call in flight may still use it.
      found = this.options.build(this.options.halo.forSignIn(keeper, this.options.login), signIn);
    }
    this.backends.set(signInId, found);
    return found;
  }
}
