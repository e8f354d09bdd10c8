/**
 * HTTP mode's first response. An interaction Discord POSTs to the endpoint is answered in the
 * HTTP response itself (PONG, the deferral, a modal, autocomplete choices, an immediate
 * message). The handler is the same one the gateway uses: it answers through discord.js
 * (`deferReply`, `showModal`, `respond`…), which sends `POST /interactions/:id/:token/callback`.
 * The REST (webhook-rest.ts) hands such a callback to this registry when the endpoint is
 * waiting for it, so the callback becomes the HTTP response body instead of a REST request.
 * Follow-ups and edits go through the interaction webhook in both modes.
 */
export type FirstResponses = {
  /** The endpoint waits for the first callback of this interaction. */
  expect(interactionId: string): Promise<unknown>;
  /** The REST offers a callback; true when the endpoint took it (nothing is sent to Discord). */
  offer(interactionId: string, body: unknown): boolean;
  /** The endpoint gave up waiting (the handler settled without answering, or time ran out). */
  abandon(interactionId: string): void;
  readonly waiting: number;
};

export function createFirstResponses(): FirstResponses {
  const pending = new Map<string, (body: unknown) => void>();
  return {
    expect(interactionId) {
      return new Promise((resolve) => { pending.set(interactionId, resolve); });
    },
    offer(interactionId, body) {
      const resolve = pending.get(interactionId);
      if (!resolve) return false;
      pending.delete(interactionId);
      resolve(body);
      return true;
    },
    abandon(interactionId) {
      pending.delete(interactionId);
    },
    get waiting() {
      return pending.size;
    },
  };
}

/** `/interactions/:id/:token/callback` → the interaction id. */
export function callbackInteractionId(fullRoute: string): string | undefined {
  return /^\/interactions\/(\d+)\/[^/]+\/callback$/.exec(fullRoute)?.[1];
}
