/**
 * What a coalescing window keeps of a burst of admin notifications: counts and the first few
 * names, never every event (a busy minute can hold thousands). No words here: each locale's
 * `burstReply` tells the burst in its language.
 */
import type { Identity } from '../../domain/identity.js';
import type { NotifierEvent } from '../notifier.js';

export type ScopedEvent = Extract<NotifierEvent, { scope: string }>;

export type Burst = {
  first: ScopedEvent;
  count: number;
  /** Distinct people, in order of appearance; only the first SHOWN are kept beyond counting. */
  people: Identity[];
  peopleCount: number;
  handles: string[];
  handleCount: number;
};

const SHOWN = 10;

export function startBurst(first: ScopedEvent): Burst {
  return { first, count: 0, people: [], peopleCount: 0, handles: [], handleCount: 0 };
}

/** Adds an event to a burst; `seen` remembers who was counted (bounded by the caller). */
export function addToBurst(burst: Burst, event: ScopedEvent, seen: Set<Identity>): void {
  burst.count++;
  if (!seen.has(event.who)) {
    seen.add(event.who);
    burst.peopleCount++;
    if (burst.people.length < SHOWN) burst.people.push(event.who);
  }
  if ('handle' in event) {
    burst.handleCount++;
    if (burst.handles.length < SHOWN) burst.handles.push(event.handle);
  }
}
