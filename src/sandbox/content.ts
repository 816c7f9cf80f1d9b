/**
 * The words of the sandbox MSP: names, ticket subjects and the HTML that Halo stores in ticket
 * details and notes (email replies with quoted history, signatures, inline styles and disclaimers),
 * so that the MCP server's HTML handling meets what it will meet in a real tenant.
 */
import type { Random } from './random.js';
import { escapeHtml } from './resources/shared.js';

export const MSP = { name: 'Northbeam IT', domain: 'northbeam-it.example' };

export const CLIENT_NAMES = [
  'Acme Manufacturing',
  'Acme Marketing Group',
  'Brightwater Dental',
  'Contoso Legal LLP',
  'Fabrikam Logistics',
  'Harbour View Hotel',
  'Kestrel Engineering',
  'Lumen Architects',
  'Meridian Health Clinic',
  'Northwind Traders',
  'Oakridge Primary School',
  'Pinecrest Accounting',
  'Quayside Restaurants',
  'Redwood Property Management',
  'Silverline Insurance Brokers',
  'Tidewater Marine',
  'Summit Physiotherapy',
  'Bluebell Nurseries',
  'Granite Construction',
  'Evergreen Veterinary Group',
  'Ironbridge Recruitment',
  'Willow & Co Solicitors',
  'Zephyr Travel',
] as const;

export const EXTRA_SITE_NAMES = ['Warehouse', 'Branch Office', 'Remote Workers', 'Clinic 2', 'Data Centre'] as const;

export const FIRST_NAMES = [
  'Alice', 'Ben', 'Carla', 'David', 'Emma', 'Farid', 'Grace', 'Hugo', 'Isla', 'Jack', 'Keira', 'Liam',
  'Maya', 'Noah', 'Olivia', 'Peter', 'Rosa', 'Samir', 'Tara', 'Umar', 'Vera', 'Will', 'Yasmin', 'Zac',
] as const;

export const LAST_NAMES = [
  'Adams', 'Brennan', 'Costa', 'Dunn', 'Evans', 'Fischer', 'Gupta', 'Hughes', 'Ibrahim', 'Jensen',
  'Kowalski', 'Lopez', 'Murphy', 'Nakamura', "O'Neill", 'Price', 'Quinn', 'Reid', 'Singh', 'Turner',
  'Underwood', 'Varga', 'Walsh', 'Young',
] as const;

export const JOB_TITLES = [
  'Office Manager', 'Practice Manager', 'Finance Director', 'Receptionist', 'Operations Lead',
  'Head Teacher', 'Sales Executive', 'Site Manager', 'HR Advisor', 'Managing Partner',
] as const;

/** Ticket subjects by category name; `{user}` and `{asset}` are filled in per ticket. */
export const SUBJECTS: Record<string, readonly string[]> = {
  Hardware: [
    'Laptop will not power on after update',
    'Second monitor flickering on {asset}',
    'Docking station not detecting USB devices',
    'Replace failing hard drive in {asset}',
    'Keyboard missing keys - needs replacement',
  ],
  Software: [
    'Outlook keeps asking for password',
    'Excel crashes when opening shared workbook',
    'Install Adobe Acrobat Pro for {user}',
    'Teams calls dropping after 2 minutes',
    'Line-of-business app shows error 0x80070005',
  ],
  Network: [
    'Wi-Fi drops in the meeting room',
    'VPN connection fails with error 809',
    'Slow internet at the branch office',
    'Cannot reach the file server from {asset}',
    'Firewall blocking supplier portal',
  ],
  Email: [
    'Emails to customers bouncing back',
    'Shared mailbox not showing in Outlook',
    'Set up mail forwarding for {user}',
    'Suspicious email received - please check',
    'Calendar invites not arriving',
  ],
  Security: [
    'MFA prompt loop for {user}',
    'Possible phishing click - investigate',
    'Antivirus alert on {asset}',
    'Review failed sign-ins from overseas',
    'BitLocker recovery key requested',
  ],
  'Accounts & Access': [
    'New starter: set up account for {user}',
    'Leaver: disable account for {user}',
    'Password reset for {user}',
    'Grant access to the Finance share',
    'Locked out after too many attempts',
  ],
  Printing: [
    'Printer offline on second floor',
    'Scan to email not working',
    'Print jobs stuck in queue',
    'Add new printer for reception',
  ],
  Backup: [
    'Backup job failed overnight on {asset}',
    'Restore deleted folder from last week',
    'Backup storage nearly full',
  ],
  Telephony: [
    'Desk phone shows no service',
    'Set up call forwarding for {user}',
    'Voicemail greeting needs changing',
  ],
};

export const CATEGORY_NAMES = Object.keys(SUBJECTS);

const SYMPTOMS = [
  'It started this morning after the overnight updates.',
  'This has happened three times this week and is getting worse.',
  'Nothing has changed on our side as far as I know.',
  'The rest of the office is working fine, just this one machine.',
  'We have a client meeting at 2pm so this is quite urgent.',
  'I have already tried restarting, it did not help.',
] as const;

const NOTES = [
  '<p>Connected remotely and reviewed the event logs. Found repeated <b>disk warnings</b> (event 153).</p>',
  '<p>Spoke to {user} by phone. Issue reproduced; collecting logs.</p>',
  '<p>Cleared the cached credentials in Credential Manager and re-added the account.</p><ul><li>Outlook profile rebuilt</li><li>Tested send/receive</li></ul>',
  '<p>Escalated to the supplier. Waiting for their engineer to call back with a case reference.</p>',
  '<p>Applied the latest firmware and rebooted during the agreed window.</p>',
  '<p>Checked with the user - all working now. Leaving open for 24 hours to confirm.</p>',
  '<p>Reset the MFA registration and walked the user through setting up the Authenticator app.</p>',
  '<p>Policy updated on the firewall:</p><table><tr><th>Rule</th><th>Action</th></tr><tr><td>Supplier portal</td><td>Allow</td></tr></table>',
] as const;

const SIGNATURE = (name: string, company: string): string =>
  `<div class="signature" style="font-family:Calibri,sans-serif;font-size:10pt;color:#444"><p>Kind regards,<br><b>${name}</b><br>${company}</p>` +
  `<p style="font-size:8pt;color:#999">This email and any attachments are confidential and intended solely for the addressee. ` +
  `If you have received this email in error please notify the sender immediately and delete it. ${company} accepts no liability ` +
  `for any damage caused by any virus transmitted by this email.</p></div>`;

/** The details of a ticket as an end user's email arrives in Halo. */
export function ticketDetailsHtml(random: Random, summary: string, userName: string, clientName: string): string {
  const symptom = random.pick(SYMPTOMS);
  return (
    `<div style="font-family:Calibri,sans-serif;font-size:11pt"><p>Hi team,</p>` +
    `<p>${escapeHtml(summary)}. ${symptom}</p>` +
    `<p>Could someone take a look please?</p>${SIGNATURE(escapeHtml(userName), escapeHtml(clientName))}</div>`
  );
}

/**
 * A long email thread with quoted replies, a table and styling noise: the kind of ticket whose raw
 * HTML runs to many kilobytes and which the MCP server must still return in a small answer.
 */
export function longThreadHtml(random: Random, summary: string, userName: string, clientName: string, agentName: string): string {
  const parts: string[] = [
    '<html><head><style>p{margin:0} .MsoNormal{font-family:Calibri} table.grid td{border:1px solid #ccc}</style></head><body>',
    `<p class="MsoNormal">Hello ${escapeHtml(agentName)},</p>`,
    `<p class="MsoNormal">Following up on "${escapeHtml(summary)}". Here is what we see on each machine:</p>`,
    '<table class="grid"><tr><th>Machine</th><th>Error</th><th>Last seen</th></tr>',
  ];
  for (let i = 1; i <= 12; i++) {
    parts.push(
      `<tr><td>PC-${String(100 + i)}</td><td>${escapeHtml(random.pick(SYMPTOMS))}</td><td>${random.int(1, 28)}/0${random.int(1, 9)}</td></tr>`,
    );
  }
  parts.push('</table>', SIGNATURE(escapeHtml(userName), escapeHtml(clientName)));
  for (let depth = 1; depth <= 6; depth++) {
    parts.push(
      `<div style="border-left:2px solid #ccc;padding-left:8px"><p><b>From:</b> ${escapeHtml(depth % 2 ? agentName : userName)}<br>` +
        `<b>Sent:</b> ${depth} days ago<br><b>Subject:</b> RE: ${escapeHtml(summary)}</p>` +
        `<p>${escapeHtml(random.pick(SYMPTOMS))} ${escapeHtml(random.pick(SYMPTOMS))}</p>` +
        SIGNATURE(escapeHtml(depth % 2 ? agentName : userName), escapeHtml(depth % 2 ? MSP.name : clientName)),
    );
  }
  parts.push('</div>'.repeat(6), '</body></html>');
  return parts.join('');
}

export function noteHtml(random: Random, userName: string): string {
  return random.pick(NOTES).replace('{user}', escapeHtml(userName));
}

export const KB_ARTICLES: readonly { title: string; tags: string; body: string; resolution: string }[] = [
  {
    title: "How to reset a user's MFA registration",
    tags: 'mfa,azure,security',
    body: '<p>Use this when a user has a new phone or is stuck in an MFA prompt loop.</p>',
    resolution: '<ol><li>Open Entra ID &gt; Users.</li><li>Select the user &gt; Authentication methods.</li><li>Choose <b>Require re-register MFA</b>.</li></ol>',
  },
  {
    title: 'Mapping a network drive on Windows 11',
    tags: 'windows,network,drive',
    body: '<p>Steps for mapping the office file share.</p>',
    resolution: '<ol><li>Open File Explorer.</li><li>Right-click This PC &gt; Map network drive.</li><li>Enter <code>\\\\fileserver\\shared</code>.</li></ol>',
  },
  {
    title: 'Outlook keeps prompting for a password',
    tags: 'outlook,office365,password',
    body: '<p>Outlook repeatedly asks for credentials after a password change.</p>',
    resolution: '<p>Clear the cached credentials in Credential Manager, then restart Outlook. If it persists, rebuild the profile.</p>',
  },
  {
    title: 'Connecting to the VPN (FortiClient)',
    tags: 'vpn,remote,forticlient',
    body: '<p>How remote staff connect to the office network.</p>',
    resolution: '<p>Install FortiClient, add the gateway <code>vpn.example.com</code>, sign in with your work account and approve the MFA prompt.</p>',
  },
  {
    title: 'Error 809 when connecting to the VPN',
    tags: 'vpn,error,809',
    body: '<p>Error 809 usually means UDP 500/4500 is blocked by the local network.</p>',
    resolution: '<p>Try another network (e.g. a phone hotspot). If that works, the hotel or home router is blocking IPsec.</p>',
  },
  {
    title: 'Setting up scan to email on Ricoh printers',
    tags: 'printing,scan,email',
    body: '<p>Configure SMTP relay for multifunction printers.</p>',
    resolution: '<p>Use the SMTP relay <code>relay.example.com</code> on port 587 with the scanner service account.</p>',
  },
  {
    title: 'Clearing a stuck print queue',
    tags: 'printing,spooler',
    body: '<p>Print jobs are stuck and cannot be deleted.</p>',
    resolution: '<ol><li>Stop the Print Spooler service.</li><li>Delete files in <code>C:\\Windows\\System32\\spool\\PRINTERS</code>.</li><li>Start the service.</li></ol>',
  },
  {
    title: 'New starter checklist',
    tags: 'onboarding,accounts',
    body: '<p>Everything needed before a new member of staff starts.</p>',
    resolution: '<ul><li>Create the account and licence</li><li>Add to groups and shared mailboxes</li><li>Prepare the laptop</li><li>Book the induction call</li></ul>',
  },
  {
    title: 'Leaver checklist',
    tags: 'offboarding,accounts,security',
    body: '<p>Steps to take when a member of staff leaves.</p>',
    resolution: '<ul><li>Block sign-in and reset the password</li><li>Convert the mailbox to shared</li><li>Remove licences</li><li>Collect equipment</li></ul>',
  },
  {
    title: 'Restoring a deleted file from backup',
    tags: 'backup,restore',
    body: '<p>Restore a file or folder from the nightly backup.</p>',
    resolution: '<p>Open the backup console, pick the restore point, browse to the folder and restore to the original location.</p>',
  },
  {
    title: 'Recognising a phishing email',
    tags: 'security,phishing,training',
    body: '<p>Signs that an email is not what it claims to be.</p>',
    resolution: '<ul><li>Unexpected urgency</li><li>Sender address does not match</li><li>Links to unfamiliar domains</li></ul><p>Report it with the Report Message button.</p>',
  },
  {
    title: 'Retrieving a BitLocker recovery key',
    tags: 'bitlocker,security,encryption',
    body: '<p>When a laptop asks for a recovery key at boot.</p>',
    resolution: '<p>Find the device in Entra ID &gt; Devices and read the BitLocker key; verify the caller before reading it out.</p>',
  },
  {
    title: 'Adding a shared mailbox to Outlook',
    tags: 'outlook,mailbox',
    body: '<p>Shared mailboxes normally appear automatically within an hour.</p>',
    resolution: '<p>If not, File &gt; Account Settings &gt; Change &gt; More Settings &gt; Advanced &gt; Add.</p>',
  },
  {
    title: 'Teams calls dropping',
    tags: 'teams,network,calls',
    body: '<p>Calls drop after a couple of minutes.</p>',
    resolution: '<p>Check the network for SIP ALG on the router and make sure UDP 3478-3481 is allowed outbound.</p>',
  },
  {
    title: 'Replacing a failed disk in a Dell server',
    tags: 'hardware,server,dell',
    body: '<p>Hot-swap a failed drive in a PowerEdge server.</p>',
    resolution: '<p>Identify the amber drive, confirm in iDRAC, pull and replace with the same size; the rebuild starts automatically.</p>',
  },
  {
    title: 'Wi-Fi troubleshooting for meeting rooms',
    tags: 'wifi,network',
    body: '<p>Intermittent Wi-Fi in busy rooms.</p>',
    resolution: '<p>Check channel utilisation in the controller; move the AP to a 5 GHz channel with less overlap.</p>',
  },
];

export const ASSET_TYPES = [
  { name: 'Laptop', group: 1, prefix: 'LT' },
  { name: 'Desktop', group: 1, prefix: 'PC' },
  { name: 'Server', group: 1, prefix: 'SRV' },
  { name: 'Virtual Machine', group: 1, prefix: 'VM' },
  { name: 'Firewall', group: 2, prefix: 'FW' },
  { name: 'Switch', group: 2, prefix: 'SW' },
  { name: 'Printer', group: 3, prefix: 'PRN' },
  { name: 'Mobile Phone', group: 4, prefix: 'MOB' },
] as const;

export const ASSET_GROUPS = ['Computers', 'Network', 'Peripherals', 'Mobile'] as const;

export const MODELS: Record<string, readonly string[]> = {
  Laptop: ['Dell Latitude 5440', 'Lenovo ThinkPad T14', 'HP EliteBook 840'],
  Desktop: ['Dell OptiPlex 7010', 'HP ProDesk 400'],
  Server: ['Dell PowerEdge R650', 'HPE ProLiant DL360'],
  'Virtual Machine': ['Hyper-V Gen2', 'VMware VM'],
  Firewall: ['Sophos XGS 116', 'Fortinet FortiGate 60F'],
  Switch: ['Ubiquiti USW-24-PoE', 'Aruba 2930F'],
  Printer: ['Ricoh IM C3000', 'HP LaserJet M507'],
  'Mobile Phone': ['iPhone 15', 'Samsung Galaxy S24'],
};

export const SUPPLIERS = [
  'Dell Technologies',
  'Ingram Micro',
  'Microsoft',
  'Sophos',
  'Ubiquiti',
  'BT Business',
  'Datto',
  'HP Inc',
] as const;

export const ITEMS: readonly { name: string; cost: number; price: number; supplier: number; recurring: boolean }[] = [
  { name: 'Dell Latitude 5440 Laptop', cost: 780, price: 950, supplier: 1, recurring: false },
  { name: 'Dell OptiPlex 7010 Desktop', cost: 610, price: 749, supplier: 1, recurring: false },
  { name: 'Microsoft 365 Business Premium (monthly)', cost: 16.5, price: 19.8, supplier: 3, recurring: true },
  { name: 'Microsoft 365 Business Basic (monthly)', cost: 4.5, price: 5.4, supplier: 3, recurring: true },
  { name: 'Sophos XGS 116 Firewall', cost: 890, price: 1120, supplier: 4, recurring: false },
  { name: 'Sophos Intercept X (per endpoint, monthly)', cost: 3.1, price: 4.5, supplier: 4, recurring: true },
  { name: 'Ubiquiti U6 Pro Access Point', cost: 140, price: 189, supplier: 5, recurring: false },
  { name: 'Managed Support - per user (monthly)', cost: 0, price: 45, supplier: 0, recurring: true },
  { name: 'Labour - Remote Support (hour)', cost: 0, price: 85, supplier: 0, recurring: false },
  { name: 'Labour - On-site Support (hour)', cost: 0, price: 110, supplier: 0, recurring: false },
  { name: 'Datto BCDR Cloud Backup (monthly)', cost: 60, price: 95, supplier: 7, recurring: true },
  { name: 'HP LaserJet M507 Toner', cost: 120, price: 155, supplier: 8, recurring: false },
];

export const PROJECT_NAMES = [
  'Office 365 migration',
  'Firewall replacement',
  'New branch office fit-out',
  'Windows 11 rollout',
  'Server virtualisation',
  'Wi-Fi upgrade',
  'Backup platform move',
  'Phone system replacement',
] as const;

export const PROJECT_TASKS = [
  'Discovery and audit',
  'Order hardware',
  'Configure and stage',
  'Pilot with key users',
  'Cut-over',
  'Handover and documentation',
] as const;

export const OPPORTUNITY_NAMES = [
  'Managed security upgrade',
  'Laptop refresh (20 units)',
  'Microsoft 365 E5 upsell',
  'Cloud backup for all sites',
  'Wi-Fi 6 survey and install',
  'SIP trunk migration',
  'Cyber Essentials Plus readiness',
  'Second site connectivity',
  'Managed print service',
  'Server room air conditioning',
] as const;

/**
 * Saved reports, in Halo's table and column names (see sql.ts) and in the single-table SQL the
 * sandbox can run. Each orders with TOP: Halo runs report SQL as a derived table, where SQL
 * Server refuses ORDER BY without it.
 */
export const REPORTS: readonly { name: string; sql: string; group: number }[] = [
  {
    name: 'Open tickets by client',
    group: 1,
    sql: 'SELECT TOP 1000 Areaint, COUNT(*) AS open_tickets FROM FAULTS WHERE Status NOT IN (8, 9) AND FDeleted = 0 GROUP BY Areaint ORDER BY open_tickets DESC',
  },
  { name: 'Tickets closed per agent', group: 2, sql: 'SELECT TOP 1000 Assignedtoint, COUNT(*) AS closed FROM FAULTS WHERE Status = 9 GROUP BY Assignedtoint ORDER BY closed DESC' },
  { name: 'Agent time logged', group: 2, sql: 'SELECT TOP 1000 who, SUM(timetaken) AS hours FROM ACTIONS WHERE timetaken > 0 GROUP BY who ORDER BY hours DESC' },
  { name: 'Assets by type', group: 3, sql: 'SELECT TOP 1000 Dtype, COUNT(*) AS assets FROM DEVICE GROUP BY Dtype ORDER BY assets DESC' },
  { name: 'Unpaid invoices', group: 4, sql: 'SELECT TOP 1000 IHid, IHInvoiceNumber, IHInvoice_Date, IHaarea, IHAmountDue FROM INVOICEHEADER WHERE IHAmountDue > 0 ORDER BY IHInvoice_Date' },
  { name: 'Contracts by end date', group: 4, sql: 'SELECT TOP 1000 CHid, CHcontractRef, CHarea, CHenddate FROM CONTRACTHEADER ORDER BY CHenddate' },
  { name: 'Ticket volume by category', group: 1, sql: 'SELECT TOP 1000 category2, COUNT(*) AS tickets FROM FAULTS GROUP BY category2 ORDER BY tickets DESC' },
  { name: 'Tickets by priority', group: 1, sql: 'SELECT TOP 1000 seriousness, COUNT(*) AS tickets FROM FAULTS WHERE Status NOT IN (8, 9) GROUP BY seriousness ORDER BY seriousness' },
];

export const REPORT_GROUPS = ['Service Desk', 'Agents', 'Assets', 'Finance'] as const;

export function emailDomain(clientName: string): string {
  return `${clientName.toLowerCase().replace(/&/g, 'and').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}.example`;
}
