/** The resources the sandbox serves with Halo's full behaviour, by lower-cased top-level path. */
import type { ResourceDefinition } from '../resource.js';
import * as records from './records.js';
import { opportunities, projects, tickets } from './tickets.js';

const definitions: ResourceDefinition[] = [tickets, projects, opportunities, ...Object.values(records)];

export const resourcesByPath = new Map(definitions.map((definition) => [definition.path.toLowerCase(), definition]));
