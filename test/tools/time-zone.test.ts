/**
 * Halo's dates without a zone are UTC, but Date.parse reads such a date in the machine's own time
 * zone. This file runs the sandbox and the tools on a machine far from UTC, where that mistake
 * moves every such date by hours, and checks that neither makes it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haloTime, isoUtc } from '../../src/toolkit/values.js';
import { call } from '../helpers/sandbox.js';
import { useSandboxMcp } from '../helpers/setup.js';

type Json = Record<string, unknown>;

const machineZone = process.env.TZ;
// Set before anything reads a date; Node applies a change of TZ at once.
process.env.TZ = 'America/Los_Angeles';

const { sandbox, mcp } = useSandboxMcp({ settings: { timezone: 'Asia/Tokyo', toolsets: ['all'] } });
let token: string;

beforeAll(async () => {
  token = await sandbox.token();
});
afterAll(() => {
  if (machineZone === undefined) delete process.env.TZ;
  else process.env.TZ = machineZone;
});

const get = async (path: string) => (await call(sandbox, token, 'GET', path)).body;
const zoneless = (value: unknown) => typeof value === 'string' && /T\d{2}:\d{2}:\d{2}(\.\d+)?$/.test(value) && !value.startsWith('1900');

/** A seeded ticket whose opening time Halo wrote without a zone. */
async function ticketOpenedWithoutZone(): Promise<Json> {
  const { tickets } = (await get('/Tickets?domain=reqs&count=30')) as { tickets: Json[] };
  const ticket = tickets.find((candidate) => zoneless(candidate.dateoccurred));
  if (!ticket) throw new Error('no seeded ticket has a date without a zone');
  return ticket;
}

describe('on a machine seven hours behind UTC in August', () => {
  it('is one: Date.parse reads a time without a zone as local time here', () => {
    expect(Date.parse('2026-08-05T05:32:44')).toBe(Date.UTC(2026, 7, 5, 12, 32, 44));
    expect(haloTime('2026-08-05T05:32:44')).toBe(Date.UTC(2026, 7, 5, 5, 32, 44));
    expect(isoUtc('2026-08-05T05:32:44.99')).toBe('2026-08-05T05:32:44Z');
  });

  it('the sandbox reads its own dates without a zone as UTC when it filters', async () => {
    const ticket = await ticketOpenedWithoutZone();
    const opened = haloTime(ticket.dateoccurred) ?? 0;
    const around = `startdate=${new Date(opened - 1_000).toISOString()}&enddate=${new Date(opened + 1_000).toISOString()}`;
    const { tickets } = (await get(`/Tickets?datesearch=dateoccured&${around}`)) as { tickets: Json[] };
    expect(tickets.map((found) => found.id)).toEqual([ticket.id]);
  });

  it('the sandbox reads a window sent without a zone as UTC', async () => {
    const ticket = await ticketOpenedWithoutZone();
    const opened = haloTime(ticket.dateoccurred) ?? 0;
    const text = (ms: number) => new Date(ms).toISOString().slice(0, 19);
    const { tickets } = (await get(`/Tickets?datesearch=dateoccured&startdate=${text(opened - 1_000)}&enddate=${text(opened + 1_000)}`)) as { tickets: Json[] };
    expect(tickets.map((found) => found.id)).toEqual([ticket.id]);
  });

  it('the sandbox finds appointments by the UTC times they were written in', async () => {
    const { appointments } = (await get('/Appointment')) as { appointments: Json[] };
    const appointment = appointments.find((candidate) => zoneless(candidate.start_date));
    const start = haloTime(appointment?.start_date) ?? 0;
    const window = `start_date=${new Date(start - 60_000).toISOString()}&end_date=${new Date(start - 1_000).toISOString()}`;
    const { appointments: found } = (await get(`/Appointment?${window}`)) as { appointments: Json[] };
    expect(found.map((entry) => entry.id)).not.toContain(appointment?.id);
    const { appointments: inside } = (await get(`/Appointment?start_date=${new Date(start).toISOString()}&end_date=${new Date(start + 1_000).toISOString()}`)) as { appointments: Json[] };
    expect(inside.map((entry) => entry.id)).toContain(appointment?.id);
  });

  it('a search by an exact window finds the ticket and shows its time in UTC', async () => {
    const ticket = await ticketOpenedWithoutZone();
    const opened = haloTime(ticket.dateoccurred) ?? 0;
    const created = `${new Date(opened - 1_000).toISOString()}..${new Date(opened + 1_000).toISOString()}`;
    const { data } = await mcp.call('halo_search_tickets', { created });
    const found = data.items as Json[];
    expect(found.map((entry) => entry.id)).toEqual([ticket.id]);
    expect(found[0]?.opened).toBe(`${String(ticket.dateoccurred).slice(0, 19)}Z`);
  });

  it("a timesheet is the agent's for the day in the configured time zone, not in UTC", async () => {
    await sandbox.clearRequests();
    const { data } = await mcp.call('halo_get_timesheet', { agent: 'Jane Doe', date: 'today' });
    const tokyoToday = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
    expect(data.date).toBe(tokyoToday);
    const [read] = await sandbox.apiRequests('GET', /timesheet\/0$/i);
    expect(read?.query.date).toBe(tokyoToday);
  });
});
