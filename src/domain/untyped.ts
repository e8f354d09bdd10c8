/**
 * Reading payloads whose shape nobody promised (Slack bodies, Discord's stored commands, stored
 * JSON): narrowing helpers instead of casts, so a missing or odd field reads as undefined.
 */
export type Untyped = Readonly<Record<string, unknown>>;

/** An object's fields, or undefined for anything else. */
export function obj(value: unknown): Untyped | undefined {
  return typeof value === 'object' && value !== null ? (value as Untyped) : undefined;
}

/** A non-empty string, or undefined. */
export function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** An array, or undefined. */
export function list(value: unknown): readonly unknown[] | undefined {
  return Array.isArray(value) ? (value as unknown[]) : undefined;
}
