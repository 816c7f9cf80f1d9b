/** Halo's custom fields, as a record carries them (`customfields`, an asset's `fields`). */

export interface CustomField {
  id?: unknown;
  name?: unknown;
  label?: unknown;
  value?: unknown;
  display?: unknown;
}

/** Custom fields that hold a value, as `{name: value}`. */
export function customFields(value: unknown): Record<string, unknown> | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: Record<string, unknown> = {};
  for (const field of value as CustomField[]) {
    const shown = field.display ?? field.value;
    if (shown === undefined || shown === null || shown === '') continue;
    out[String(field.label ?? field.name ?? field.id)] = shown;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
