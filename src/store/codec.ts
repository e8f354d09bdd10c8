/**
 * How values are written into keyv: plain JSON of keyv's `{ value, expires }` envelope.
 * keyv's default serializer rewrites strings that start with ':' and turns ':base64:'
 * strings into Buffers; plain JSON keeps the stored text predictable, which the native
 * operations rely on (a compare-and-swap compares the exact stored text, and Redis/SQL
 * writes made outside keyv must be readable through keyv).
 */
import type { DeserializedData } from 'keyv';

/** What a stored value decodes to when it is not JSON at all (a damaged or foreign row). */
export const UNREADABLE_VALUE = Symbol('unreadable stored value');

export function serializeEntry<Value>(data: DeserializedData<Value>): string {
  return JSON.stringify(data);
}

export function deserializeEntry<Value>(text: string): DeserializedData<Value> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed !== null && typeof parsed === 'object' && 'value' in parsed) return parsed as DeserializedData<Value>;
  } catch {
    // fall through: reported as unreadable rather than as "nothing there"
  }
  return { value: UNREADABLE_VALUE as Value };
}

/** The stored text of a value written without expiry: what a compare-and-swap expects to find. */
export function storedText(value: unknown): string {
  return serializeEntry({ value });
}
