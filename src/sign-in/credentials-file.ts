/**
 * The personal install's sign-in: the credentials file `halopsa-mcp login` writes and the stdio
 * server, `call` and `doctor` read. It holds the refresh token of one technician's sign-in (never
 * the application's client secret), and keeps it as the Halo client rotates it.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { SignInKeeper, SignInUpdate } from '../halo/sign-in.js';

/** The file's content, version 1. */
export interface StoredSignIn {
  version: 1;
  /** The Halo signed in to, as HALO_URL reads once normalised (no trailing slash, no /api). */
  halo_url: string;
  auth_url: string;
  tenant?: string;
  /** The application the technician signed in through: the refresh token is bound to it. */
  client_id: string;
  refresh_token: string;
  agent: { id: number; name?: string; email?: string };
  /** ISO 8601. */
  signed_in_at: string;
}

const storedSchema = z.object({
  version: z.literal(1),
  halo_url: z.string().min(1),
  auth_url: z.string().min(1),
  tenant: z.string().min(1).optional(),
  client_id: z.string().min(1),
  refresh_token: z.string().min(1),
  agent: z.object({ id: z.number().int().positive(), name: z.string().optional(), email: z.string().optional() }),
  signed_in_at: z.string(),
});

/** What to tell a person whose sign-in is missing or over. */
export const SIGN_IN_AGAIN = 'Run "halopsa-mcp login" to sign in again.';

/** A credentials file that cannot be used as it is: the message names the file and what to do, never its token. */
export class CredentialsFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CredentialsFileError';
  }
}

/**
 * Where the credentials file is: HALO_CREDENTIALS_FILE, else the per-user configuration directory
 * (`$XDG_CONFIG_HOME`, else `~/.config`, on macOS and Linux; `%APPDATA%` on Windows).
 */
export function credentialsPath(env: Record<string, string | undefined>, platform: NodeJS.Platform = process.platform, home: string = homedir()): string {
  const chosen = env.HALO_CREDENTIALS_FILE?.trim();
  if (chosen) return chosen;
  const configHome = platform === 'win32' ? env.APPDATA?.trim() || join(home, 'AppData', 'Roaming') : env.XDG_CONFIG_HOME?.trim() || join(home, '.config');
  return join(configHome, 'halopsa-mcp', 'credentials.json');
}

function isMissing(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}

export class CredentialsFile implements SignInKeeper {
  readonly signInAgain = SIGN_IN_AGAIN;

  constructor(
    readonly path: string,
    /** Windows keeps no Unix mode bits to check: the file lives in the user's own profile there. */
    private readonly platform: NodeJS.Platform = process.platform,
  ) {}

  /**
   * The sign-in the file holds, or undefined when there is no file. A file other users can read is
   * refused rather than quietly tightened: its refresh token may already have been read, which the
   * person should hear about and decide on. `logout` reads it anyway, to revoke that token.
   */
  async read({ anyMode = false }: { anyMode?: boolean } = {}): Promise<StoredSignIn | undefined> {
    let text: string;
    try {
      if (!anyMode && this.platform !== 'win32') {
        const mode = (await stat(this.path)).mode & 0o777;
        if ((mode & 0o077) !== 0) {
          throw new CredentialsFileError(
            `${this.path} can be read by other users of this computer (mode ${mode.toString(8).padStart(4, '0')}), so its Halo sign-in is not used. If nobody else could have read it, run chmod 600 ${this.path}; otherwise run "halopsa-mcp logout" and sign in again.`,
          );
        }
      }
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      // JSON.parse's message may quote the text, and with it the token: the reason is said without it.
      throw new CredentialsFileError(`${this.path} is not JSON, so it holds no Halo sign-in. ${SIGN_IN_AGAIN}`);
    }
    const parsed = storedSchema.safeParse(json);
    if (!parsed.success) {
      const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.') || '(the whole file)'))].join(', ');
      throw new CredentialsFileError(`${this.path} is not a halopsa-mcp credentials file (${fields} missing or malformed). ${SIGN_IN_AGAIN}`);
    }
    const { tenant, ...stored } = parsed.data;
    return { ...stored, ...(tenant ? { tenant } : {}), agent: agentOf(parsed.data.agent) };
  }

  /**
   * Writes the file whole, readable by its owner alone: to a temporary file beside it, renamed over
   * it, so that a process reading it (another assistant's server) never meets half a file.
   */
  async write(signIn: StoredSignIn): Promise<void> {
    const directory = dirname(this.path);
    // New directories only: HALO_CREDENTIALS_FILE may name a file in a directory that is not ours to change.
    await mkdir(directory, { recursive: true, mode: 0o700 });
    const temporary = join(directory, `.credentials-${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
    try {
      await writeFile(temporary, `${JSON.stringify(signIn, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
      await rename(temporary, this.path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  /** Read again each time: another process sharing the sign-in may have rotated the token since. */
  async current(): Promise<string | undefined> {
    return (await this.read())?.refresh_token;
  }

  async save(update: SignInUpdate): Promise<void> {
    const stored = await this.read();
    // No file: the person signed out while the token was being refreshed, and stays signed out.
    if (!stored) return;
    await this.write({ ...stored, refresh_token: update.refreshToken, agent: update.agent ?? stored.agent });
  }

  /** The sign-in is over (Halo refused its refresh token, or the person signed out): the file goes. */
  async ended(): Promise<void> {
    await rm(this.path, { force: true });
  }
}

/** The agent without the optional fields the file left out, as the client's identity type has them. */
function agentOf(agent: { id: number; name?: string | undefined; email?: string | undefined }): StoredSignIn['agent'] {
  return { id: agent.id, ...(agent.name ? { name: agent.name } : {}), ...(agent.email ? { email: agent.email } : {}) };
}
