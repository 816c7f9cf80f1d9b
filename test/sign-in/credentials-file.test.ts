/** The credentials file `halopsa-mcp login` writes: private, whole on every write, and read afresh each time. */
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CredentialsFile, CredentialsFileError, credentialsPath, type StoredSignIn } from '../../src/sign-in/credentials-file.js';

const unix = process.platform !== 'win32';
const signIn: StoredSignIn = {
  version: 1,
  halo_url: 'https://acme.halopsa.com',
  auth_url: 'https://acme.halopsa.com/auth',
  client_id: 'login-app',
  refresh_token: 'refresh-token-one-0123456789abcdef',
  agent: { id: 7, name: 'Jane Doe', email: 'jane@acme.example' },
  signed_in_at: '2026-12-02T10:00:00.000Z',
};

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'halopsa-credentials-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

describe('credentialsPath', () => {
  it('is HALO_CREDENTIALS_FILE when set, else the per-user configuration directory of the platform', () => {
    expect(credentialsPath({ HALO_CREDENTIALS_FILE: '/srv/creds.json', XDG_CONFIG_HOME: '/x' }, 'linux', '/home/jane')).toBe('/srv/creds.json');
    expect(credentialsPath({ XDG_CONFIG_HOME: '/x' }, 'linux', '/home/jane')).toBe(join('/x', 'halopsa-mcp', 'credentials.json'));
    expect(credentialsPath({}, 'linux', '/home/jane')).toBe(join('/home/jane', '.config', 'halopsa-mcp', 'credentials.json'));
    expect(credentialsPath({}, 'darwin', '/Users/jane')).toBe(join('/Users/jane', '.config', 'halopsa-mcp', 'credentials.json'));
    expect(credentialsPath({ APPDATA: 'C:/Users/jane/AppData/Roaming', XDG_CONFIG_HOME: '/x' }, 'win32', 'C:/Users/jane')).toBe(
      join('C:/Users/jane/AppData/Roaming', 'halopsa-mcp', 'credentials.json'),
    );
  });
});

describe('CredentialsFile', () => {
  it.runIf(unix)('writes a file only its owner can read, in a directory only its owner can enter', async () => {
    const file = new CredentialsFile(join(directory, 'new', 'halopsa-mcp', 'credentials.json'));
    await file.write(signIn);
    expect((await stat(file.path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(directory, 'new', 'halopsa-mcp'))).mode & 0o777).toBe(0o700);
    expect(await file.read()).toEqual(signIn);
  });

  it('replaces the file whole, leaving no temporary file, and reads a token another process rotated', async () => {
    const file = new CredentialsFile(join(directory, 'credentials.json'));
    await file.write(signIn);
    const inode = (await stat(file.path)).ino;
    await file.save({ refreshToken: 'refresh-token-two-0123456789abcdef', agent: undefined });
    // Renamed over, not written in place: a reader meets the old file or the new one, never half of one.
    expect((await stat(file.path)).ino).not.toBe(inode);
    expect(await readdir(directory)).toEqual(['credentials.json']);
    expect(await file.read()).toEqual({ ...signIn, refresh_token: 'refresh-token-two-0123456789abcdef' });
    // Another process (a second server, login run again) writes a newer token: current() reads it, not a copy held in memory.
    await new CredentialsFile(file.path).write({ ...signIn, refresh_token: 'refresh-token-three-0123456789abc' });
    expect(await file.current()).toBe('refresh-token-three-0123456789abc');
  });

  it('keeps the agent a refresh names, and the one it had when the refresh names none', async () => {
    const file = new CredentialsFile(join(directory, 'credentials.json'));
    await file.write(signIn);
    await file.save({ refreshToken: 'refresh-token-two-0123456789abcdef', agent: { id: 7, name: 'Jane Q. Doe' } });
    expect((await file.read())?.agent).toEqual({ id: 7, name: 'Jane Q. Doe' });
  });

  it('ends by removing the file, and a save after that does not bring it back', async () => {
    const file = new CredentialsFile(join(directory, 'credentials.json'));
    await file.write(signIn);
    await file.ended();
    await expect(stat(file.path)).rejects.toThrow(/ENOENT/);
    expect(await file.current()).toBeUndefined();
    await file.save({ refreshToken: 'refresh-token-two-0123456789abcdef', agent: undefined });
    await expect(stat(file.path)).rejects.toThrow(/ENOENT/);
    expect(file.signInAgain).toBe('Run "halopsa-mcp login" to sign in again.');
  });

  it('refuses a malformed file with a message that names it and never the token', async () => {
    const path = join(directory, 'credentials.json');
    const file = new CredentialsFile(path);
    for (const text of ['{"refresh_token": "secret-token-in-broken-json-0123"', JSON.stringify({ ...signIn, agent: 'Jane', refresh_token: 'secret-token-in-broken-json-0123' })]) {
      await writeFile(path, text, { mode: 0o600 });
      const error = await failureOf(file.read());
      expect(error).toBeInstanceOf(CredentialsFileError);
      expect(error.message).toContain(path);
      expect(error.message).toContain('halopsa-mcp login');
      expect(error.message).not.toContain('secret-token-in-broken-json');
    }
    expect((await failureOf(file.read())).message).toMatch(/\(agent missing or malformed\)/);
  });

  it.runIf(unix)('refuses a file other users can read, saying to chmod 600, and logout may still read it', async () => {
    const file = new CredentialsFile(join(directory, 'credentials.json'));
    await file.write(signIn);
    await chmod(file.path, 0o644);
    const error = await failureOf(file.current());
    expect(error).toBeInstanceOf(CredentialsFileError);
    expect(error.message).toContain(`chmod 600 ${file.path}`);
    expect(error.message).not.toContain(signIn.refresh_token);
    expect(await file.read({ anyMode: true })).toEqual(signIn);
    // The file was left as it was: the person decides.
    expect((await stat(file.path)).mode & 0o777).toBe(0o644);
    expect(JSON.parse(await readFile(file.path, 'utf8'))).toEqual(signIn);
  });
});
