/** What shapes the MCP server beyond the Halo connection: which tools it shows and how it answers. */
import type { Toolset } from './tool.js';

export interface ServerSettings {
  /** Toolsets to expose; `all` for every one. */
  toolsets: (Toolset | 'all')[];
  /** Tools to add whatever their toolset. */
  enabledTools: string[];
  /** Tools to hide whatever their toolset. */
  disabledTools: string[];
  /** Hides every tool that is not a read; wins over every other setting. */
  readOnly: boolean;
  /** Destructive tools (deletes) are hidden unless this is set. */
  allowDestructive: boolean;
  /** IANA time zone in which relative dates ("today", "last 7 days") are read. */
  timezone: string;
  /** Characters of text one tool result may take before it is cut to a page with a cursor. */
  maxResultChars: number;
  /** How long reference data and resolved names are reused. */
  cacheTtlMs: number;
  /** Actions that `halo_get_ticket` includes unless the call asks for another number. */
  ticketActions: number;
  /** Offers the tool that runs a read-only SQL SELECT through Halo's report engine. */
  allowSql: boolean;
  /**
   * The technician an install serves (a name, email or id of an agent), whom agent "me" means.
   * Without it "me" is the agent the API application logs in as, which is rarely a person.
   */
  agent: string | undefined;
  /**
   * What the settings asked for that the server left out (a toolset name it does not know), said to
   * the person once connected: in the server's instructions, by halo_whoami and in the log. A
   * misspelt toolset typed into a client's settings form would otherwise stop the server before the
   * client can show why.
   */
  problems: string[];
}

export const DEFAULT_SETTINGS: ServerSettings = {
  toolsets: ['core', 'api'],
  enabledTools: [],
  disabledTools: [],
  readOnly: false,
  allowDestructive: false,
  timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  maxResultChars: 20_000,
  cacheTtlMs: 5 * 60_000,
  ticketActions: 3,
  allowSql: false,
  agent: undefined,
  problems: [],
};
