/** Which of a tenant's outcomes a note is written with when the call names none. */
import { describe, expect, it } from 'vitest';
import { defaultOutcome, outcomeEmails, outcomeNeverEmails, type NoteKind } from '../../src/toolkit/outcomes.js';
import type { Reference } from '../../src/toolkit/resolve.js';

const PRIVATE: NoteKind = { private: true, sendEmail: false };
const PUBLIC: NoteKind = { private: false, sendEmail: false };
const EMAILED: NoteKind = { private: false, sendEmail: true };

let nextId = 100;
/** An outcome as GET /Outcome lists it (TOutcome's fields), with the flags most outcomes have. */
function outcome(name: string, flags: Record<string, unknown> = {}): Reference {
  const id = typeof flags.id === 'number' ? flags.id : nextId++;
  return { id, name, record: { id, outcome: name, hidefromuser: false, sendemail: 0, newstatus: 0, hidden: false, ...flags } };
}

const chosen = (outcomes: Reference[], kind: NoteKind): string | undefined => defaultOutcome(outcomes, kind)?.name;

describe('the outcome of a note the call gives none for', () => {
  const stock = [
    outcome('Email User', { sendemail: 1, sequence: 1 }),
    outcome('Resolve Ticket', { sendemail: 1, newstatus: 9, sequence: 8 }),
    outcome('Change Status', { hidefromuser: true, sequence: 7 }),
    outcome('Supplier Update', { hidefromuser: true, sequence: 9 }),
    outcome('Phone Call', { sequence: 4 }),
    outcome('Note', { sequence: 3 }),
    outcome('Private Note', { hidefromuser: true, default_private_note: true, sequence: 2 }),
  ];

  it('takes the private note for a private note, the visible note for a public one, Email User for an emailed one', () => {
    expect(chosen(stock, PRIVATE)).toBe('Private Note');
    expect(chosen(stock, PUBLIC)).toBe('Note');
    expect(chosen(stock, EMAILED)).toBe('Email User');
  });

  it("finds a tenant's internal note by its name or its flags, whatever its id", () => {
    expect(chosen([outcome('Email User', { sendemail: 1 }), outcome('Internal Note', { id: 7, hidefromuser: true })], PRIVATE)).toBe('Internal Note');
    expect(chosen([outcome('Work log', { default_private_note: true }), outcome('Phone Call')], PRIVATE)).toBe('Work log');
    expect(chosen([outcome('Tech Note', { hidefromuser: true }), outcome('Phone Call')], PRIVATE)).toBe('Tech Note');
  });

  it('never takes an outcome that emails, changes the status or is hidden for a private note', () => {
    expect(chosen([outcome('Private Note', { sendemail: 1, hidefromuser: true }), outcome('Tech Note', { hidefromuser: true })], PRIVATE)).toBe('Tech Note');
    expect(chosen([outcome('Internal Note - Waiting', { hidefromuser: true, newstatus: 3 })], PRIVATE)).toBeUndefined();
    expect(chosen([outcome('Private Note', { hidefromuser: true, hidden: true })], PRIVATE)).toBeUndefined();
    // Hidden from the user, but not a note: a status change or a supplier update is not a note.
    expect(chosen([outcome('Change Status', { hidefromuser: true }), outcome('Supplier Update', { hidefromuser: true })], PRIVATE)).toBeUndefined();
  });

  it('never takes a private, emailing or status-changing outcome for a public note', () => {
    const tenant = [
      outcome('Private Note', { hidefromuser: true }),
      outcome('Internal Note'),
      outcome('Flagged note', { default_private_note: true }),
      outcome('Email User', { sendemail: true }),
      outcome('Resolution Note', { newstatus: 9 }),
      outcome('Phone Call'),
    ];
    expect(chosen(tenant, PUBLIC)).toBeUndefined();
    expect(chosen(tenant, EMAILED)).toBe('Email User');
    expect(chosen([...tenant, outcome('Customer Note')], PUBLIC)).toBe('Customer Note');
  });

  it('emails an emailed note through a public note outcome when the tenant has no email outcome', () => {
    expect(chosen([outcome('Private Note', { hidefromuser: true }), outcome('Public Note')], EMAILED)).toBe('Public Note');
  });

  it('never emails an emailed note through an outcome that never emails', () => {
    const tenant = [outcome('Private Note', { hidefromuser: true }), outcome('Public Note', { hidesendemail: true })];
    expect(chosen(tenant, EMAILED)).toBeUndefined();
    expect(chosen(tenant, PUBLIC)).toBe('Public Note');
    expect(chosen([...tenant, outcome('Note')], EMAILED)).toBe('Note');
  });

  it('takes a private note outcome that never emails though it is flagged to', () => {
    expect(chosen([outcome('Private Note', { hidefromuser: true, sendemail: 1, hidesendemail: true }), outcome('Phone Call')], PRIVATE)).toBe('Private Note');
  });

  it('prefers the plainer name, then the tenant order, then the lower id', () => {
    expect(chosen([outcome('Private note for billing', { hidefromuser: true, sequence: 1 }), outcome('Private Note', { hidefromuser: true, sequence: 5 })], PRIVATE)).toBe('Private Note');
    expect(chosen([outcome('Note', { sequence: 6 }), outcome('Public Note', { sequence: 2 })], PUBLIC)).toBe('Public Note');
    expect(defaultOutcome([outcome('Note', { id: 40 }), outcome('Note', { id: 12 })], PUBLIC)?.id).toBe(12);
  });

  it('finds nothing in a tenant without outcomes', () => {
    expect(defaultOutcome([], PRIVATE)).toBeUndefined();
  });
});

describe('whether an outcome emails the end user', () => {
  it('follows the outcome, as Halo does: hidesendemail never emails, sendemail emails unasked', () => {
    expect(outcomeEmails({ sendemail: 1 })).toBe(true);
    expect(outcomeEmails({ sendemail: true })).toBe(true);
    expect(outcomeEmails({ sendemail: 1, hidesendemail: true })).toBe(false);
    expect(outcomeEmails({ sendemail: 0 })).toBe(false);
    expect(outcomeEmails({})).toBe(false);
    expect(outcomeNeverEmails({ hidesendemail: true })).toBe(true);
    expect(outcomeNeverEmails({ sendemail: 0 })).toBe(false);
  });
});
