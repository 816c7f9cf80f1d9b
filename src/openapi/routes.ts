/**
 * Halo's paths as its OpenAPI document writes them (`/Tickets/{id}`, `/TicketApproval/{id}&{seq}`),
 * matched the way Halo routes: case-insensitively, a literal segment (`/Agent/me`) before a
 * parameter (`/Agent/{id}`). Used by the sandbox to route and by the gateway to validate a call.
 */
import type { Operation } from './types.js';

export type Method = Operation['method'];

export interface Route {
  template: string;
  pattern: RegExp;
  /** Names of the path parameters, in the order of the pattern's capture groups. */
  paramNames: string[];
  /** Literal characters in the template: the more, the more specific. */
  literalLength: number;
  operations: Partial<Record<Method, Operation>>;
}

export interface RouteMatch {
  route: Route;
  /** The operation for the method asked about, absent when the path exists but not for it. */
  operation?: Operation;
  pathParams: Record<string, string>;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function firstSegment(path: string): string {
  return (path.split('/')[1] ?? '').toLowerCase();
}

export class RouteTable {
  private readonly byResource = new Map<string, Route[]>();
  private readonly byTemplate = new Map<string, Route>();

  constructor(operations: readonly Operation[]) {
    for (const operation of operations) {
      let route = this.byTemplate.get(operation.path);
      if (!route) {
        route = { ...RouteTable.compile(operation.path), operations: {} };
        this.byTemplate.set(operation.path, route);
        const resource = firstSegment(operation.path);
        this.byResource.set(resource, [...(this.byResource.get(resource) ?? []), route]);
      }
      route.operations[operation.method] = operation;
    }
    for (const routes of this.byResource.values()) {
      routes.sort((a, b) => a.paramNames.length - b.paramNames.length || b.literalLength - a.literalLength);
    }
  }

  private static compile(template: string): Omit<Route, 'operations'> {
    const paramNames: string[] = [];
    let literalLength = 0;
    const source = template
      .split(/(\{\w+\})/)
      .map((part) => {
        const param = /^\{(\w+)\}$/.exec(part);
        if (param?.[1]) {
          paramNames.push(param[1]);
          return '([^/&]+)';
        }
        literalLength += part.length;
        return escapeRegExp(part);
      })
      .join('');
    return { template, pattern: new RegExp(`^${source}/?$`, 'i'), paramNames, literalLength };
  }

  /** The route and operation a concrete path (relative to `/api`, e.g. `/tickets/12`) names. */
  match(method: string, path: string): RouteMatch | undefined {
    for (const route of this.byResource.get(firstSegment(path)) ?? []) {
      const found = route.pattern.exec(path);
      if (!found) continue;
      const pathParams: Record<string, string> = {};
      route.paramNames.forEach((name, index) => {
        pathParams[name] = decodeURIComponent(found[index + 1] ?? '');
      });
      const operation = route.operations[method.toUpperCase() as Method];
      return { route, pathParams, ...(operation ? { operation } : {}) };
    }
    return undefined;
  }
}
