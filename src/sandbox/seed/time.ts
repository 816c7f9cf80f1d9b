/** The calendar and the time agents logged: appointments, the time on tickets' actions, and timesheet events, most of them on live tickets. */
import { actionTimeEvent } from '../resources/actions.js';
import { textOf } from '../../util/text.js';
import type { HaloRecord } from '../store.js';
import { DAY, HOUR, type SeedContext, type Staff } from './context.js';

/** Midnight (UTC) at the start of the tenant's today. */
function startOfToday(now: number): number {
  return now - (now % DAY);
}

export function seedTime(context: SeedContext, staff: Staff, liveTickets: readonly HaloRecord[]): void {
  seedAppointments(context, staff, liveTickets);
  seedActionTime(context);
  seedTimesheets(context, staff, liveTickets);
}

// Halo behaviour: docs/halo-behaviour.md#action-time-on-timesheet
/** The time agents logged on the tickets' actions, on their timesheets as Halo puts it there. Draws nothing at random. */
function seedActionTime({ store }: SeedContext): void {
  const events = store.collection('timesheetevents');
  for (const ticket of store.collection('faults').all()) {
    for (const action of store.actions(ticket.id)) {
      // Plain ISO dates, as every seeded record has until writeDatesAsHalo gives them Halo's forms.
      const event = actionTimeEvent(ticket, action, (ms) => new Date(ms).toISOString());
      if (event) events.insert(event);
    }
  }
}

/** Appointments in the two weeks either side of today, most of them visits for a live ticket. */
function seedAppointments({ random, store, now }: SeedContext, staff: Staff, liveTickets: readonly HaloRecord[]): void {
  const dayStart = startOfToday(now);
  for (let i = 0; i < 30; i++) {
    const agent = random.pick(staff.activeAgents);
    const ticket = random.chance(0.7) && liveTickets.length > 0 ? random.pick(liveTickets) : undefined;
    const start = dayStart + random.int(-14, 14) * DAY + random.int(8, 16) * HOUR;
    store.collection('appointments').insert({
      subject: ticket ? `Visit: ${String(ticket.summary)}` : random.pick(['Quarterly review', 'Team meeting', 'Training', 'Onboarding call']),
      start_date: new Date(start).toISOString(),
      end_date: new Date(start + random.pick([1, 1, 2, 3]) * HOUR).toISOString(),
      agent_id: agent.id,
      agent_name: agent.name,
      ticket_id: ticket?.id ?? 0,
      client_id: ticket?.client_id ?? 0,
      client_name: ticket?.client_name ?? '',
      is_task: random.chance(0.15),
      complete_status: start < now ? 1 : 0,
    });
  }
}

/** Each active agent's weekdays of the last ten days: a few events from 08:00, up to two hours apart. */
function seedTimesheets({ random, store, now }: SeedContext, staff: Staff, liveTickets: readonly HaloRecord[]): void {
  const dayStart = startOfToday(now);
  for (const agent of staff.activeAgents) {
    for (let day = 1; day <= 10; day++) {
      const date = dayStart - day * DAY;
      if ([0, 6].includes(new Date(date).getUTCDay())) continue;
      let cursor = date + 8 * HOUR;
      const events = random.int(2, 5);
      for (let e = 0; e < events; e++) {
        const hours = random.pick([0.5, 1, 1.5, 2]);
        const ticket = liveTickets.length > 0 ? random.pick(liveTickets) : undefined;
        store.collection('timesheetevents').insert({
          agent_id: agent.id,
          subject: ticket ? String(ticket.summary) : 'Admin',
          start_date: new Date(cursor).toISOString(),
          end_date: new Date(cursor + hours * HOUR).toISOString(),
          timetaken: hours,
          ticket_id: ticket?.id ?? 0,
          client_id: ticket?.client_id ?? 0,
          // Halo behaviour: docs/halo-behaviour.md#timesheet-events-for-reports
          customer: textOf(ticket?.client_name),
          event_type: ticket ? 0 : 1,
        });
        cursor += hours * HOUR + random.int(0, 2) * HOUR;
      }
    }
  }
}
