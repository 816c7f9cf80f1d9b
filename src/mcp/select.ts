/**
 * Which tools a configuration shows: the filter every server applies before it registers anything
 * (a hidden tool costs no tokens), and the narrowing of the server's settings by a token's profile.
 */
import type { ServerSettings } from './settings.js';
import type { AnyTool } from './tool.js';

/**
 * The tools a configuration exposes. Read-only mode wins over everything; destructive tools need
 * their switch; a disabled tool stays hidden; otherwise a tool shows when its toolset is on or it
 * is enabled by name. Tools that share a name are variants by access kind (the gateway's call
 * tool reads in read-only mode, writes normally, deletes when allowed): the last one the settings
 * allow, in catalog order, is the one shown.
 */
export function selectTools(catalog: readonly AnyTool[], settings: ServerSettings): AnyTool[] {
  const allowed = catalog.filter((tool) => toolAllowed(tool, settings));
  return allowed.filter((tool, index) => !allowed.slice(index + 1).some((later) => later.name === tool.name));
}

/** Whether settings allow one tool (one variant, where a tool has several). */
export function toolAllowed(tool: AnyTool, settings: ServerSettings): boolean {
  if (settings.readOnly && tool.access !== 'read') return false;
  if (tool.access === 'destructive' && !settings.allowDestructive) return false;
  if (settings.disabledTools.includes(tool.name)) return false;
  if (tool.available && !tool.available(settings)) return false;
  return settings.toolsets.includes('all') || settings.toolsets.includes(tool.toolset) || settings.enabledTools.includes(tool.name);
}

/**
 * Why settings hide a tool of the catalog, as a person would change it; undefined when the tool is
 * shown or the catalog has no tool of that name. Read-only mode is named first, as it wins.
 */
export function whyHidden(catalog: readonly AnyTool[], name: string, settings: ServerSettings): string | undefined {
  const variants = catalog.filter((tool) => tool.name === name);
  const [first] = variants;
  if (!first || variants.some((tool) => toolAllowed(tool, settings))) return undefined;
  if (settings.readOnly && variants.every((tool) => tool.access !== 'read')) return 'read-only mode (--read-only, HALO_READ_ONLY) hides every tool that changes Halo';
  if (!settings.allowDestructive && variants.every((tool) => tool.access === 'destructive')) return 'it deletes, and tools that delete are hidden unless --allow-destructive (HALO_ALLOW_DESTRUCTIVE) is set';
  if (settings.disabledTools.includes(name)) return '--disabled-tools (HALO_DISABLED_TOOLS) names it';
  const { toolset } = first;
  const enabled = settings.toolsets.includes('all') || settings.toolsets.includes(toolset) || settings.enabledTools.includes(name);
  // The only tools with a switch of their own are the SQL ones.
  if (enabled) return 'it runs SQL, which is hidden unless --allow-sql (HALO_ALLOW_SQL) is set';
  return `it is in the toolset "${toolset}", which is not enabled: add it with --toolsets (HALO_TOOLSETS)`;
}

/**
 * The settings a token gets when its profile narrows the server's: the tools both allow, and the
 * switches both turn on, written as settings so that what the token is told (halo_whoami, the server
 * instructions) is what it gets. Toolsets are those both name; a tool that both allow but the shared
 * toolsets do not cover (enabled by name on one side) is enabled by name. The profile's own answer
 * settings (time zone, result size) apply as they are.
 */
export function narrowSettings(server: ServerSettings, profile: ServerSettings, catalog: readonly AnyTool[]): ServerSettings {
  const toolsets = server.toolsets.includes('all') ? profile.toolsets : profile.toolsets.includes('all') ? server.toolsets : profile.toolsets.filter((toolset) => server.toolsets.includes(toolset));
  const narrowed: ServerSettings = {
    ...profile,
    toolsets,
    readOnly: server.readOnly || profile.readOnly,
    allowDestructive: server.allowDestructive && profile.allowDestructive,
    allowSql: server.allowSql && profile.allowSql,
    disabledTools: [...new Set([...server.disabledTools, ...profile.disabledTools])],
    enabledTools: [],
    // A profile without settings of its own reads the same environment, and would report its problems again.
    problems: [...new Set([...server.problems, ...profile.problems])],
  };
  const covered = (tool: AnyTool) => toolsets.includes('all') || toolsets.includes(tool.toolset);
  narrowed.enabledTools = [...new Set(catalog.filter((tool) => !covered(tool) && toolAllowed(tool, server) && toolAllowed(tool, profile)).map((tool) => tool.name))];
  return narrowed;
}
