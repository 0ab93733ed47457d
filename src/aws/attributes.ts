/** Reading AWS's string-valued attributes into numbers and booleans, once, for the inventory. */

export function attributeMap(attributes: { Key?: string; Value?: string }[] | undefined): Record<string, string> {
  const raw: Record<string, string> = {};
  for (const { Key, Value } of attributes ?? []) if (Key !== undefined && Value !== undefined) raw[Key] = Value;
  return raw;
}

export function booleanAttribute(raw: Record<string, string>, key: string): boolean | undefined {
  const value = raw[key]?.trim().toLowerCase();
  return value === 'true' ? true : value === 'false' ? false : undefined;
}

export function integerAttribute(raw: Record<string, string>, key: string): number | undefined {
  const value = raw[key];
  if (value === undefined || !/^\s*-?\d+\s*$/.test(value)) return undefined;
  return Number(value);
}

/** `value` when it is one of `allowed` (AWS enums grow; the inventory only holds values lbcheck knows). */
export function oneOf<T extends string>(value: string | undefined, allowed: readonly T[]): T | undefined {
  return allowed.find((known) => known === value);
}
