/**
 * Rows of docs/halo-behaviour.md that the fidelity suite leaves untested: each test pins what the
 * sandbox emulates for one row, so that the row and the sandbox cannot drift apart unnoticed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { call, startTestSandbox } from '../helpers/sandbox.js';
import { useSandbox } from '../helpers/setup.js';

type Json = Record<string, unknown>;

const sandbox = useSandbox();
let token: string;

beforeAll(async () => {
  token = await sandbox.token();
});

const get = (path: string) => call(sandbox, token, 'GET', path);
const post = (path: string, body: unknown) => call(sandbox, token, 'POST', path, body);

/** A token request with the sandbox's credentials and the given form fields. */
function requestToken(form: Record<string, string>): Promise<Response> {
  return fetch(`${sandbox.url}/auth/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: sandbox.clientId, client_secret: sandbox.clientSecret, ...form }),
  });
}

describe('the token endpoint', () => {
  it('answers a bearer token with its lifetime and the scopes granted, and refuses other grants', async () => {
    const response = await requestToken({ scope: 'read:tickets edit:customers' });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Json;
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'read:tickets edit:customers' });
    expect(typeof body.access_token).toBe('string');
    expect(String(body.access_token).length).toBeGreaterThan(20);
    const password = await requestToken({ grant_type: 'password', scope: 'all' });
    expect(password.status).toBe(400);
    expect(await password.json()).toEqual({ error: 'unsupported_grant_type' });
  });

  it('refuses the scopes Halo has no such thing as: actions and sites have none of their own', async () => {
    for (const scope of ['read:actions', 'edit:actions', 'read:sites', 'edit:sites']) {
      const response = await requestToken({ scope });
      expect(response.status, scope).toBe(400);
      expect(await response.json()).toEqual({ error: 'invalid_scope' });
    }
  });

  it('names the tenant in authinfo when one is configured, without a token', async () => {
    const hosted = await startTestSandbox({ tenant: 'acme' });
    try {
      const response = await fetch(`${hosted.url}/api/AuthInfo`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ auth_url: `${hosted.url}/auth`, tenant_id: 'acme' });
    } finally {
      await hosted.close();
    }
  });
});

describe('scopes', () => {
  it('lets edit read as well, and gates actions by the tickets scopes and sites by the customers scopes', async () => {
    const editor = await sandbox.token('edit:tickets');
    expect((await call(sandbox, editor, 'GET', '/Tickets?count=1')).status).toBe(200);
    const ticketReader = await sandbox.token('read:tickets');
    expect((await call(sandbox, ticketReader, 'GET', '/Actions?ticket_id=1')).status).toBe(200);
    expect((await call(sandbox, ticketReader, 'POST', '/Actions', [{ ticket_id: 1, note: 'x', outcome: 'Private Note' }])).status).toBe(401);
    expect((await call(sandbox, editor, 'POST', '/Actions', [{ ticket_id: 1, note: 'x', outcome: 'Private Note' }])).status).toBe(201);
    const customerReader = await sandbox.token('read:customers');
    expect((await call(sandbox, customerReader, 'GET', '/Site?client_id=2')).status).toBe(200);
    expect((await call(sandbox, customerReader, 'GET', '/Actions?ticket_id=1')).status).toBe(401);
  });
});

describe('routing', () => {
  it('reads query parameter names without regard to case', async () => {
    const { body } = await get('/Tickets?COUNT=3&Client_Id=2');
    const tickets = (body as { tickets: Json[] }).tickets;
    expect(tickets).toHaveLength(3);
    expect(tickets.every((ticket) => ticket.client_id === 2)).toBe(true);
  });

  it('answers 405 with the methods a path takes to one it does not take, and records the violation', async () => {
    const fresh = await startTestSandbox();
    try {
      const answer = await call(fresh, await fresh.token(), 'DELETE', '/Tickets');
      expect(answer.status).toBe(405);
      expect(answer.headers.get('allow')?.split(', ').sort()).toEqual(['GET', 'POST']);
      expect((await fresh.violations()).map((violation) => violation.kind)).toEqual(['unknown_method']);
    } finally {
      await fresh.close();
    }
  });
});

describe('ids in a posted record', () => {
  it('refuses one that is not a whole number, and stores nothing', async () => {
    const before = ((await get('/Tickets?count=0')).body as { record_count: number }).record_count;
    const refused = await post('/Tickets', [{ summary: 'Half a client', client_id: 2.5 }]);
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({ ClassName: 'System.Exception', Message: "The value '2.5' is not valid for client_id." });
    expect(((await get('/Tickets?count=0')).body as { record_count: number }).record_count).toBe(before);
  });
});

describe('actions', () => {
  it('answers no actions to a list that names no ticket, whatever the count', async () => {
    for (const path of ['/Actions', '/Actions?count=1000']) {
      const { status, body } = await get(path);
      expect(status).toBe(200);
      expect(body).toMatchObject({ record_count: 0, actions: [] });
    }
  });

  it('numbers actions per ticket, and finds one by its ticket and its number', async () => {
    const newTicket = async (summary: string) => ((await post('/Tickets', [{ summary, client_id: 2 }])).body as Json).id as number;
    const [first, second] = [await newTicket('Numbering one'), await newTicket('Numbering two')];
    const note = async (ticketId: number, text: string) => (await post('/Actions', [{ ticket_id: ticketId, note: text, outcome: 'Private Note' }])).body as Json;
    expect(await note(first, 'first of one')).toMatchObject({ id: 1, ticket_id: first });
    expect(await note(second, 'first of two')).toMatchObject({ id: 1, ticket_id: second });
    expect(await note(first, 'second of one')).toMatchObject({ id: 2, ticket_id: first });
    expect((await get(`/Actions/1?ticket_id=${second}`)).body).toMatchObject({ id: 1, ticket_id: second, note: 'first of two' });
  });
});

describe('tickets', () => {
  it('lists projects and opportunities on /Tickets unless domain narrows it', async () => {
    const total = async (path: string) => ((await get(`${path}count=0`)).body as { record_count: number }).record_count;
    const [everything, requests, projects, opportunities] = await Promise.all([
      total('/Tickets?'),
      total('/Tickets?domain=reqs&'),
      total('/Projects?'),
      total('/Opportunities?'),
    ]);
    expect(projects).toBeGreaterThan(0);
    expect(opportunities).toBeGreaterThan(0);
    expect(everything).toBe(requests + projects + opportunities);
    expect(await total('/Tickets?domain=prjs&')).toBe(projects);
  });

  it('takes a team by its name, whatever its case, refuses one that does not exist, and filters by team id', async () => {
    const created = await post('/Tickets', [{ summary: 'Switch stack down', client_id: 2, team: 'infrastructure' }]);
    expect(created.status).toBe(201);
    expect((created.body as Json).team).toBe('Infrastructure');
    const refused = await post('/Tickets', [{ summary: 'Nobody', client_id: 2, team: 'Night Shift' }]);
    expect(refused.status).toBe(400);
    expect((refused.body as Json).Message).toBe("Team 'Night Shift' does not exist.");
    const teams = (await get('/Team')).body as Json[];
    const infrastructure = teams.find((team) => team.name === 'Infrastructure')?.id as number;
    const listed = ((await get(`/Tickets?team=${infrastructure}&count=50`)).body as { tickets: Json[] }).tickets;
    expect(listed.map((ticket) => ticket.id)).toContain((created.body as Json).id);
    expect(listed.every((ticket) => ticket.team === 'Infrastructure')).toBe(true);
  });

  it('refuses a site of another client, and a user of another site', async () => {
    const sites = ((await get('/Site?client_id=2')).body as { sites: Json[] }).sites;
    const site = sites[0] as Json;
    const otherClient = await post('/Tickets', [{ summary: 'Mismatch', client_id: 3, site_id: site.id }]);
    expect(otherClient.status).toBe(400);
    expect((otherClient.body as Json).Message).toBe(`Site ${String(site.id)} does not belong to Client 3.`);
    const users = ((await get('/Users?client_id=3')).body as { users: Json[] }).users;
    const user = users[0] as Json;
    const otherSite = await post('/Tickets', [{ summary: 'Mismatch', user_id: user.id, site_id: site.id }]);
    expect(otherSite.status).toBe(400);
    expect((otherSite.body as Json).Message).toBe(`User ${String(user.id)} does not belong to Site ${String(site.id)}.`);
  });
});
