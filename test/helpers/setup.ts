/**
 * The setup most test files share: a sandbox (useSandbox), with a Halo client on it
 * (useSandboxHalo) or an MCP client on a server built for it (useSandboxMcp), started before the
 * file's first test and closed after its last. Each test still creates the records it changes and
 * checks only what it made; what the file shares is the seeded tenant and the connection, which no
 * test may depend on another test to have touched.
 *
 *   const { sandbox, mcp } = useSandboxMcp({ sandbox: { actionOrder: 'oldest' }, settings: { toolsets: ['all'] } });
 */
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { HaloClient } from '../../src/halo/client.js';
import type { HaloClientConfig } from '../../src/halo/config.js';
import type { SandboxOptions } from '../../src/sandbox/index.js';
import type { ServerSettings } from '../../src/mcp/settings.js';
import { connectMcp, type ClientOptions, type McpHarness } from './mcp.js';
import { startTestSandbox, type TestSandbox } from './sandbox.js';

export interface SandboxMcpOptions {
  /** How the sandbox behaves: faults are set per test, but rate limits, action order, tenant and seed are fixed at start. */
  sandbox?: SandboxOptions;
  /** The server's settings, over the tests' defaults (TEST_SETTINGS). */
  settings?: Partial<ServerSettings>;
  /** The client's side: the MCP revision, elicitation, the Halo client's configuration and logger. */
  client?: ClientOptions;
  /** Fails each test that sent Halo what its API document lacks, or asked the sandbox for what it does not emulate. */
  conformance?: boolean;
}

export interface SandboxMcp {
  sandbox: TestSandbox;
  mcp: McpHarness;
  /** Closes the client, its server and the sandbox. */
  close(): Promise<void>;
}

/** A sandbox and an MCP client on it, for one test that needs a setup of its own: close it in a `finally`. */
export async function startSandboxMcp(options: Omit<SandboxMcpOptions, 'conformance'> = {}): Promise<SandboxMcp> {
  const sandbox = await startTestSandbox(options.sandbox);
  try {
    const mcp = await connectMcp(sandbox, options.settings, options.client);
    return {
      sandbox,
      mcp,
      close: async () => {
        await mcp.close();
        await sandbox.close();
      },
    };
  } catch (error) {
    await sandbox.close();
    throw error;
  }
}

/** A sandbox for the tests of the file (or of the describe block it is called in). */
export function useSandbox(options: SandboxOptions = {}, { conformance = false }: { conformance?: boolean } = {}): TestSandbox {
  let started: TestSandbox | undefined;
  beforeAll(async () => {
    started = await startTestSandbox(options);
  });
  afterAll(async () => {
    await started?.close();
  });
  const sandbox = boundLater('the sandbox', () => started);
  if (conformance) checkEachTestConforms(sandbox);
  return sandbox;
}

/** A sandbox and a Halo client on it, without MCP, for the tests of the file (or of the describe block it is called in). */
export function useSandboxHalo(options: SandboxOptions = {}, haloConfig: Partial<HaloClientConfig> = {}): { sandbox: TestSandbox; halo: HaloClient } {
  const sandbox = useSandbox(options);
  let halo: HaloClient | undefined;
  beforeAll(() => {
    halo = new HaloClient(sandbox.config(haloConfig));
  });
  afterAll(async () => {
    await halo?.close();
  });
  return { sandbox, halo: boundLater('the Halo client', () => halo) };
}

/** A sandbox and an MCP client on it, for the tests of the file (or of the describe block it is called in). */
export function useSandboxMcp(options: SandboxMcpOptions = {}): { sandbox: TestSandbox; mcp: McpHarness } {
  let started: SandboxMcp | undefined;
  beforeAll(async () => {
    started = await startSandboxMcp(options);
  });
  afterAll(async () => {
    await started?.close();
  });
  const sandbox = boundLater('the sandbox', () => started?.sandbox);
  if (options.conformance) checkEachTestConforms(sandbox);
  return { sandbox, mcp: boundLater('the MCP client', () => started?.mcp) };
}

/**
 * Each test's own requests keep to Halo's API document and to what the sandbox emulates. Checked
 * after each test rather than once at the end of the file, so that a test run alone or in another
 * order is checked all the same, and a failure names the test that caused it. The sandbox keeps
 * each gap once, so a gap is new to a test only if no earlier test of the file met it.
 */
export function checkEachTestConforms(sandbox: TestSandbox): void {
  let gapsBefore = 0;
  beforeEach(async () => {
    await sandbox.clearViolations();
    gapsBefore = (await sandbox.gaps()).length;
  });
  afterEach(async () => {
    expect(await sandbox.violations(), "requests that Halo's API document does not allow").toEqual([]);
    expect((await sandbox.gaps()).slice(gapsBefore), 'requests the sandbox does not emulate').toEqual([]);
  });
}

/**
 * A stand-in, usable at the top of a file, for a value `beforeAll` creates: every property read
 * goes to the value once it exists, and fails with a clear message before.
 */
function boundLater<T extends object>(what: string, current: () => T | undefined): T {
  const value = (): T => {
    const started = current();
    if (started === undefined) throw new Error(`${what} is not started yet: use it inside a test or a hook, after the file's beforeAll`);
    return started;
  };
  // Reads, and the keys a spread (`{ ...sandbox, config }`) copies, all go to the value.
  return new Proxy({} as T, {
    get: (_target, property) => Reflect.get(value(), property) as unknown,
    ownKeys: () => Reflect.ownKeys(value()),
    getOwnPropertyDescriptor: (_target, property) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(value(), property);
      return descriptor && { ...descriptor, configurable: true };
    },
  });
}
