/**
 * The recording core the Slack and Discord fakes share: an append-only list of traffic events
 * and `waitFor`, which resolves from history or from the next matching event (no polling).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Loose JSON object: tests dig into recorded bodies (`call.body.blocks[0].text.text`). */
export type JsonObject = Record<string, any>;

/** Epoch milliseconds with sub-millisecond precision, comparable with `Date.now()`. */
export function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}

type Waiter<E> = {
  predicate: (event: E) => boolean;
  resolve: (event: E) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
};

export class TrafficLog<E extends { kind: string }> {
  readonly events: E[] = [];
  private waiters = new Set<Waiter<E>>();

  constructor(private readonly name: string) {}

  push(event: E): void {
    this.events.push(event);
    for (const waiter of [...this.waiters]) {
      let matched = false;
      try {
        matched = waiter.predicate(event);
      } catch (error) {
        this.settle(waiter);
        waiter.reject(error instanceof Error ? error : new Error(String(error)));
        continue;
      }
      if (matched) {
        this.settle(waiter);
        waiter.resolve(event);
      }
    }
  }

  waitFor<T extends E>(predicate: (event: E) => event is T, timeoutMs?: number, what?: string): Promise<T>;
  waitFor(predicate: (event: E) => boolean, timeoutMs?: number, what?: string): Promise<E>;
  waitFor(predicate: (event: E) => boolean, timeoutMs = 5000, what = 'matching traffic'): Promise<E> {
    const seen = this.events.find(predicate);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise<E>((resolve, reject) => {
      const waiter: Waiter<E> = {
        predicate,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          const recent = this.events.slice(-8).map(describe).join('\n  ');
          reject(new Error(`${this.name}: timed out after ${timeoutMs} ms waiting for ${what}. Last traffic:\n  ${recent || '(none)'}`));
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  /** Forget history; pending waiters keep waiting for future traffic. */
  clear(): void {
    this.events.length = 0;
  }

  /** Reject every pending waiter (the fake is closing). */
  abort(reason: string): void {
    for (const waiter of [...this.waiters]) {
      this.settle(waiter);
      waiter.reject(new Error(`${this.name}: ${reason}`));
    }
  }

  private settle(waiter: Waiter<E>): void {
    clearTimeout(waiter.timer);
    this.waiters.delete(waiter);
  }
}

function describe(event: { kind: string }): string {
  const text = JSON.stringify(event);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => { resolve(Buffer.concat(chunks)); });
    req.on('error', reject);
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}
