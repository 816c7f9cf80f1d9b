/**
 * The catalog: every tool the server can offer, before toolset and access filtering, and the
 * resources and prompts beside them. The server is handed these (createServer takes them). Each
 * Halo area lists its own tools; the catalog puts them in toolset order (the core first), so a
 * new tool is declared and listed in its area's file alone.
 */
import type { ResourceSpec } from '../src/mcp/resources.js';
import { TOOLSETS, type AnyTool } from '../src/mcp/tool.js';
import * as admin from './admin.js';
import * as api from './api.js';
import * as assets from './assets.js';
import * as billing from './billing.js';
import * as customers from './customers/index.js';
import * as kb from './kb.js';
import * as projects from './projects.js';
import * as reference from './reference.js';
import * as reports from './reports.js';
import * as sales from './sales.js';
import * as suppliers from './suppliers.js';
import * as tickets from './tickets/index.js';
import * as time from './time.js';

const areas = [tickets, customers, assets, kb, reference, api, projects, time, billing, sales, suppliers, reports, admin];

const toolsetOrder = (tool: AnyTool) => TOOLSETS.indexOf(tool.toolset);

/** Every tool, the core first; within a toolset, in its area's order (a stable sort keeps it). */
export const catalog: readonly AnyTool[] = areas.flatMap((area) => area.tools).sort((a, b) => toolsetOrder(a) - toolsetOrder(b));

export const resources: readonly ResourceSpec[] = [...tickets.resources, ...customers.resources, ...kb.resources];

export { prompts } from './prompts.js';
