/** Report groups and the reports filed under them. */
import { REPORT_GROUPS, REPORTS } from '../content.js';
import type { SeedContext } from './context.js';

export function seedReports({ store }: SeedContext): void {
  REPORT_GROUPS.forEach((name, index) => store.collection('lookups').insert({ lookupid: 80, name, sequence: index + 1, value2: String(index + 1) }));
  REPORTS.forEach((report, index) =>
    store.collection('reports').insert({ id: index + 1, name: report.name, sql: report.sql, reportgroup_id: report.group, is_published: false, type: 0 }),
  );
}
