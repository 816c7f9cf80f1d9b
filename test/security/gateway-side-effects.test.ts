/**
 * Side effects through the gateway (halo_call_operation) that its method does not show, replayed:
 * customer emails and notes made public with destructive calls off, privileged and undescribed
 * fields, dry runs of GETs that act, read-only GETs that act or name undeclared parameters, and
 * names hidden in a POST's query or in a percent-encoded path.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { connectMcp, type McpHarness } from '../helpers/mcp.js';
import { useSandboxMcp } from '../helpers/setup.js';

const { sandbox, mcp } = useSandboxMcp();
beforeEach(async () => {
  await sandbox.reset();
});

const gateway = (args: Record<string, unknown>, harness: McpHarness = mcp) => harness.call('halo_call_operation', args);

/** Whether the end user of a ticket can see a note, as they would in the portal. */
async function visibleToUser(ticketId: number, actionId: number): Promise<boolean> {
  const { data } = await gateway({ method: 'GET', path: `/Actions/${actionId}`, query: { ticket_id: ticketId } });
  return (data.result as Record<string, unknown>).hiddenfromuser !== true;
}

describe('the write variant, with destructive calls off, does not reach the end user unasked', () => {
  it('refuses an action whose outcome emails, whatever sendemail says, or whose outcome it does not know', async () => {
    const emailsSent = await sandbox.watchEmails();
    for (const body of [
      [{ ticket_id: 1, outcome_id: 11, sendemail: false, note: 'hello from the gateway' }],
      { ticket_id: 2, outcome: 'email user', note: 'x' },
      { ticket_id: 2, outcome_id: 999, hiddenfromuser: true, note: 'x' },
      { ticket_id: 2, outcome_id: 38, sendemail: true, note: 'x' },
    ]) {
      const { isError, text } = await gateway({ method: 'POST', path: '/Actions', body });
      expect(isError, JSON.stringify(body)).toBe(true);
      expect(text).toMatch(/customer_facing: true/);
    }
    expect(await sandbox.apiRequests('POST')).toEqual([]);
    expect(await emailsSent()).toEqual([]);
  });

  it('refuses to make a private note public, and to edit an emailed action, which emails again', async () => {
    const emailsSent = await sandbox.watchEmails();
    const note = await mcp.call('halo_add_note', { ticket_id: 8, note: 'PRIVATE: the customer owes us money.' });
    const noteId = (note.data.action as { id: number }).id;
    for (const change of [{ hiddenfromuser: false }, { _changeprivate: true }]) {
      const { isError, text } = await gateway({ method: 'POST', path: '/Actions', body: [{ ticket_id: 8, id: noteId, ...change }] });
      expect(isError, JSON.stringify(change)).toBe(true);
      expect(text).toMatch(/end user/);
    }
    expect(await visibleToUser(8, noteId)).toBe(false);

    const sent = await mcp.call('halo_add_note', { ticket_id: 9, note: 'Hello, we are on it.', private: false, send_email: true });
    expect(await emailsSent()).toHaveLength(1);
    const edit = await gateway({ method: 'POST', path: '/Actions', body: [{ ticket_id: 9, id: (sent.data.action as { id: number }).id, note: 'Hello, we are on it!', sendemail: false }] });
    expect(edit.isError).toBe(true);
    expect(edit.text).toMatch(/emails the end user again/);
    expect(await emailsSent()).toHaveLength(1);
  });

  it('refuses paths and fields that send email', async () => {
    for (const [path, body] of [
      ['/EmailStore', { to: 'someone@example.com', subject: 'x' }],
      ['/Outgoingemail', { to: 'someone@example.com' }],
      ['/Invoice', [{ id: 1, _sendmassinvoice: true }]],
      // Halo's queue of outgoing notifications (schema EscMsg), and the job that sends it.
      ['/Notifications', [{ emailaddress: 'victim@example.com', subject: 'Invoice overdue', emailbody: 'Pay here', smsnos: '+15550100', smsbody: 'hi' }]],
      ['/Notifications/process', ['1']],
      ['/TicketApproval', [{ ticket_id: 8, seq: 1, emailaddress: 'victim@example.com', templateid: 1 }]],
      ['/formattedemail', [{ email_to: 'victim@example.com', subject: 's', details: 'd' }]],
      ['/ChatMessage', [{ chat_id: 1, text: 'hello from the gateway' }]],
    ] as const) {
      const { isError, text } = await gateway({ method: 'POST', path, body });
      expect(isError, path).toBe(true);
      expect(text).toMatch(/customer_facing: true/);
    }
    expect(await sandbox.apiRequests('POST')).toEqual([]);
  });

  it('sends what reaches the end user once the call says it may, and a private note without asking', async () => {
    const emailsSent = await sandbox.watchEmails();
    const emailed = await gateway({ method: 'POST', path: '/Actions', body: { ticket_id: 1, outcome_id: 11, note: 'On our way.' }, customer_facing: true });
    expect(emailed.isError).toBe(false);
    expect(await emailsSent()).toHaveLength(1);
    const quiet = await gateway({ method: 'POST', path: '/Actions', body: { ticket_id: 1, outcome_id: 38, hiddenfromuser: true, note: 'Internal only.' } });
    expect(quiet.isError).toBe(false);
    expect(await emailsSent()).toHaveLength(1);
  });
});

describe('action records read as Halo may bind them', () => {
  const refusedBodies = async (bodies: readonly unknown[], expected: RegExp, harness: McpHarness = mcp) => {
    const emailsSent = await sandbox.watchEmails();
    for (const body of bodies) {
      const { isError, text } = await gateway({ method: 'POST', path: '/Actions', body }, harness);
      expect(isError, JSON.stringify(body)).toBe(true);
      expect(text, JSON.stringify(body)).toMatch(expected);
    }
    expect(await sandbox.apiRequests('POST')).toEqual([]);
    expect(await emailsSent()).toEqual([]);
  };

  it('reads outcomes and visibility in any case, ids as .NET parses them, and refuses what it cannot read', async () => {
    await refusedBodies(
      [
        [{ ticket_id: 8, Outcome_Id: 11, hiddenfromuser: true, note: 'x' }],
        [{ ticket_id: 8, Outcome: 'Email User', hiddenfromuser: true, note: 'x' }],
        [{ ticket_id: 8, outcome_id: '+11', hiddenfromuser: true, note: 'x' }],
        [{ ticket_id: 8, outcome_id: ' 11 ', hiddenfromuser: true, note: 'x' }],
        // Which of the two Halo uses is not known: both are checked.
        [{ ticket_id: 8, outcome_id: '+11', outcome: 'Private Note', hiddenfromuser: true, note: 'x' }],
        [{ ticket_id: 8, outcome_id: 38, outcome: 'Email User', hiddenfromuser: true, note: 'x' }],
        // Present but not an id Halo reads: the outcome is unknown.
        [{ ticket_id: 8, outcome_id: 'eleven', hiddenfromuser: true, note: 'x' }],
        [{ ticket_id: 8, outcome_id: 11.4, hiddenfromuser: true, note: 'x' }],
        [{ ticket_id: 8, outcome: {}, hiddenfromuser: true, note: 'x' }],
        // A visible note outcome, and a hiddenfromuser that is not true.
        [{ ticket_id: 8, outcome_id: 29, hiddenfromuser: 'yes', note: 'x' }],
        [{ ticket_id: 8, outcome_id: 29, HiddenFromUser: {}, note: 'x' }],
      ],
      /customer_facing: true/,
    );
  });

  it('takes a name sent twice in different cases as reaching the end user, whichever Halo binds', async () => {
    await refusedBodies(
      [
        [{ ticket_id: 8, outcome_id: 38, OUTCOME_ID: 11, hiddenfromuser: true, note: 'x' }],
        [{ ticket_id: 8, outcome_id: 38, hiddenfromuser: true, HIDDENFROMUSER: 'yes', note: 'x' }],
      ],
      /names Halo may bind as one.*customer_facing: true/s,
    );
  });

  it('trusts hiddenfromuser and id to keep a note private only as the document spells them', async () => {
    // A Halo that binds names by case ignores these spellings and writes a new, visible note.
    await refusedBodies(
      [
        [{ ticket_id: 8, outcome_id: 29, HIDDENFROMUSER: true, note: 'x' }],
        [{ ticket_id: 8, Id: 1, outcome_id: 29, note: 'x' }],
      ],
      /the outcome "Note" does not hide the note/,
    );
  });

  it('finds the edited action by any spelling of its id and ticket', async () => {
    const emailsSent = await sandbox.watchEmails();
    const sent = await mcp.call('halo_add_note', { ticket_id: 9, note: 'Hello, we are on it.', private: false, send_email: true });
    const emailed = (sent.data.action as { id: number }).id;
    await sandbox.clearRequests();
    const before = await emailsSent();
    for (const body of [
      [{ ticket_id: 9, Id: emailed, note: 'edited' }],
      [{ ticket_id: 9, id: `+${emailed}`, note: 'edited' }],
      [{ Ticket_Id: ' 9 ', id: emailed, note: 'edited' }],
    ]) {
      const { isError, text } = await gateway({ method: 'POST', path: '/Actions', body });
      expect(isError, JSON.stringify(body)).toBe(true);
      expect(text, JSON.stringify(body)).toMatch(/emails the end user again/);
    }
    const unreadable = await gateway({ method: 'POST', path: '/Actions', body: [{ ticket_id: 9, id: `${emailed}.0`, note: 'edited' }] });
    expect(unreadable.text).toMatch(/id is not an id as Halo reads one/);
    expect(await sandbox.apiRequests('POST')).toEqual([]);
    expect(await emailsSent()).toEqual(before);
  });

  it('lets a private note through, its outcome id written as .NET reads it', async () => {
    await gateway({ method: 'POST', path: '/Actions', body: [{ ticket_id: 1, outcome_id: ' +38 ', hiddenfromuser: true, note: 'Internal only.' }] });
    // Sent to Halo, whatever Halo then makes of the spelling.
    expect(await sandbox.apiRequests('POST')).toHaveLength(1);
  });

  it('reads an outcome by id when the list does not say whether it emails, as the curated tools do', async () => {
    // A server of its own: the resolver keeps the outcome list it read first.
    const fresh = await connectMcp(sandbox);
    try {
      const { items } = await fresh.halo.list('/Outcome');
      const withoutFlags = items.map(({ sendemail: _sendemail, hidesendemail: _hidesendemail, ...outcome }) => outcome);
      await sandbox.faults([
        { method: 'GET', path: '^/api/outcome$', status: 200, body: JSON.stringify(withoutFlags) },
        { method: 'GET', path: '^/api/outcome/11$', status: 200, body: JSON.stringify(withoutFlags.find((outcome) => outcome.id === 11)) },
      ]);
      await sandbox.clearRequests();
      await refusedBodies([[{ ticket_id: 8, outcome_id: 11, hiddenfromuser: true, note: 'x' }]], /outcome id 11 cannot be checked \(Halo does not say whether it emails/, fresh);
      // Halo's own record of Private Note says it sends no email: the notes are sent, the outcome read once for all of them.
      const note = { outcome_id: 38, hiddenfromuser: true, note: 'Internal only.' };
      const quiet = await gateway({ method: 'POST', path: '/Actions', body: [{ ticket_id: 8, ...note }, { ticket_id: 8, ...note }, { ticket_id: 9, ...note }] }, fresh);
      expect(quiet.isError).toBe(false);
      expect(await sandbox.apiRequests('GET', /^\/api\/outcome\/38$/i)).toHaveLength(1);
    } finally {
      await sandbox.clearFaults();
      await fresh.close();
    }
  });
});

describe('destructive and privileged fields', () => {
  const refused = [
    ['/Tickets', [{ id: 3, _spam: true, _spamblock: true }]],
    ['/Control', { clearalldata: true, clearcustomerdata: true, deleteforever: true }],
    ['/Control', { _deactivateusers: true, _deactivateagents: true, _deactivateclients: true }],
    ['/Users', [{ id: 5, _reassign_all_to_user: 6 }]],
    ['/Agent', [{ id: 2, password: 'Pwned123!', is_admin: true }]],
    ['/Agent', [{ id: 2, roles: [{ id: 1 }] }]],
    ['/Application', { displayName: 'backdoor', clientId: 'x', clientSecret: 'y', permissions: 'all' }],
    ['/ImpersonationRequest', { agent: 1, requestor: 1 }],
    ['/LoginToken', { type: 'x' }],
    ['/ConfigCommit', [{ id: 1, _rollback: true }]],
    ['/Tickets', [{ id: 4, merged_ınto_ıd: 5 }]],
    ['/Users', [{ id: 4, _anonymiſe: true }]],
    // An underscore field nobody has read is taken as destructive.
    ['/Tickets', [{ id: 4, _somethingnew: true }]],
  ] as const;

  it('are refused by the write variant, naming the switch', async () => {
    for (const [path, body] of refused) {
      const { isError, text } = await gateway({ method: 'POST', path, body });
      expect(isError, `${path} ${JSON.stringify(body)}`).toBe(true);
      expect(text).toMatch(/HALO_ALLOW_DESTRUCTIVE/);
    }
    expect(await sandbox.apiRequests('POST')).toEqual([]);
  });

  it('are confirmed first by the destructive variant', async () => {
    const destructive = await connectMcp(sandbox, { allowDestructive: true });
    try {
      const { isError, text } = await gateway({ method: 'POST', path: '/Application', body: { displayName: 'backdoor' } }, destructive);
      expect(isError).toBe(true);
      expect(text).toMatch(/API application.*confirm: true/s);
      expect(await sandbox.apiRequests('POST')).toEqual([]);
    } finally {
      await destructive.close();
    }
  });

  it('leave a plain write alone, harmless underscore fields included', async () => {
    const { isError } = await gateway({ method: 'POST', path: '/Tickets', body: [{ id: 4, summary: 'Renamed', _canupdate: true, _isnew: false }] });
    expect(isError).toBe(false);
    expect(await sandbox.apiRequests('POST')).toHaveLength(1);
  });
});

describe('GETs that change Halo', () => {
  it('are not sent in a dry run', async () => {
    for (const [path, query] of [
      ['/ConfirmClosure', {}],
      ['/Notifications', { update_shown: true }],
    ] as const) {
      const { isError, data } = await gateway({ method: 'GET', path, query, dry_run: true });
      expect(isError, path).toBe(false);
      expect(data).toMatchObject({ dry_run: true, request: { method: 'GET' } });
    }
    expect(await sandbox.apiRequests()).toEqual([]);
  });

  it('that remove records or reset tokens are destructive', async () => {
    for (const [path, query] of [
      ['/IntegrationData/Get/Giacom', { remove_existing: true }],
      ['/IntegrationData/Get/Sherweb', { reset_token: true }],
    ] as const) {
      const { isError, text } = await gateway({ method: 'GET', path, query });
      expect(isError, path).toBe(true);
      expect(text).toMatch(/HALO_ALLOW_DESTRUCTIVE/);
    }
    expect(await sandbox.apiRequests()).toEqual([]);
  });

  it('are refused in read-only mode, children of acting paths and undeclared parameters included', async () => {
    const readOnly = await connectMcp(sandbox, { readOnly: true });
    try {
      for (const [path, query] of [
        ['/ConfirmClosure/12', {}],
        ['/UnsubServiceEmails/12', {}],
        ['/SnowDetails/1', { doDecrypt: true }],
        ['/Report/1', { getcompositetoken: true }],
        ['/DashboardLinks/1', { getreporttoken: true }],
        ['/Feedback', { clearcomment: true }],
        ['/Feedback/1', { clearComment: 'yes' }],
        ['/Notifications/1', { update_shown: true }],
        ['/Notifications', { 'update_shown ': 'true' }],
        ['/IntegrationData/Get/Pax8', { reset_token: true }],
        ['/IntegrationFieldMapping/1', { syncfields: true }],
      ] as const) {
        const { isError } = await gateway({ method: 'GET', path, query }, readOnly);
        expect(isError, `${path} ${JSON.stringify(query)}`).toBe(true);
      }
      const undeclared = await gateway({ method: 'GET', path: '/Tickets', query: { brand_new_switch: true } }, readOnly);
      expect(undeclared.text).toMatch(/read-only.*"brand_new_switch"/s);
      expect(await sandbox.apiRequests()).toEqual([]);
    } finally {
      await readOnly.close();
    }
  });
});

describe('names hidden from the checks', () => {
  it('destructive names in the query of a POST are refused', async () => {
    const { isError, text } = await gateway({ method: 'POST', path: '/Tickets', query: { deleted: true, domerge: true, merged_into_id: 2 }, body: [{ id: 1 }] });
    expect(isError).toBe(true);
    expect(text).toMatch(/HALO_ALLOW_DESTRUCTIVE/);
    expect(await sandbox.apiRequests('POST')).toEqual([]);
  });

  it('a percent-encoded letter in the path is checked, and sent, as the letter Halo reads', async () => {
    const { isError, data } = await gateway({ method: 'GET', path: '/Agent/%6De', dry_run: true });
    expect(isError).toBe(false);
    expect(data.request).toMatchObject({ path: '/Agent/me' });
    const readOnly = await connectMcp(sandbox, { readOnly: true });
    try {
      await gateway({ method: 'GET', path: '/Agent/%6De' }, readOnly);
      expect((await sandbox.apiRequests('GET')).map((request) => request.path)).toEqual(['/api/Agent/me']);
    } finally {
      await readOnly.close();
    }
  });
});
