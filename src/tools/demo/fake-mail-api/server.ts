/**
 * The fake service's HTTP server: recording every request (with an event-based `waitFor`),
 * fault injection, the hold/release gate, and the controls tests and the demo use.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { htmlErrorPage, parseBody, readBody, writeAnswer } from './http-answers.js';
import { createRules } from './rules.js';
import { acceptRequestId, createState, normaliseIp, normaliseKey, resolveLimits } from './state.js';
import { SOMEONE_ELSE, type Answer, type FakeMailApi, type FakeMailApiOptions, type Fault, type RecordedRequest } from './types.js';

export async function startFakeMailApi(options: FakeMailApiOptions = {}): Promise<FakeMailApi> {
  const now = options.now ?? Date.now;
  const state = createState(options);
  const rules = createRules(state);

  const requests: RecordedRequest[] = [];
  const traffic = new EventEmitter();
  traffic.setMaxListeners(0);

  // ---- faults -------------------------------------------------------------------------------------

  function takeFault(path: string): Fault | undefined {
    const pending = state.faults.find((f) => f.remaining > 0 && (f.path === undefined || f.path === path));
    if (!pending) return undefined;
    pending.remaining -= 1;
    if (pending.remaining <= 0) state.faults.splice(state.faults.indexOf(pending), 1);
    return pending.fault;
  }

  function cannedAnswer(fault: Fault, requestId: string): Answer | undefined {
    switch (fault.kind) {
      case 'html':
        return { status: fault.status, text: htmlErrorPage(fault.status), contentType: 'text/html; charset=utf-8' };
      case 'status':
        return { status: fault.status, json: fault.status === 503 ? { error: 'temporarily_unavailable' } : rules.internalError(requestId) };
      case 'raw':
        return { status: fault.status, text: fault.body, contentType: fault.contentType ?? 'application/json; charset=utf-8', ...(fault.headers ? { headers: fault.headers } : {}) };
      default:
        return undefined;
    }
  }

  // ---- HTTP ---------------------------------------------------------------------------------------

  function record(entry: RecordedRequest): void {
    entry.seq = requests.length + 1; // numbered on arrival of the whole request, in order
    requests.push(entry);
    traffic.emit('traffic', entry);
  }

  async function onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const ip = normaliseIp(req.socket.remoteAddress);
    const requestId = acceptRequestId(req.headers['x-request-id']);
    const fault = takeFault(path);
    const entry: RecordedRequest = {
      seq: 0, method: req.method ?? 'GET', path, headers: req.headers, rawBody: '', body: undefined, ip, remotePort: req.socket.remotePort ?? 0, at: now(), requestId,
      ...(fault ? { fault: fault.kind } : {}),
    };
    if (fault?.kind === 'reset' && fault.phase === 'before_read') {
      record(entry);
      req.socket.destroy();
      return;
    }
    entry.rawBody = await readBody(req);
    const parsed = parseBody(req.headers['content-type'], entry.rawBody);
    entry.body = parsed.body;
    record(entry);

    await state.gate?.promise;
    if (state.latencyMs > 0) await sleep(state.latencyMs);
    if (fault?.kind === 'hang') return; // held open until the client gives up or close()

    const answer =
      (fault ? cannedAnswer(fault, requestId) : undefined) ??
      rules.handle({ method: entry.method, path, headers: req.headers, body: parsed.body, bodyUnparseable: parsed.unparseable, ip, origin: originOf(req.headers, ip), requestId, now: now() });
    if (fault?.kind === 'reset') {
      req.socket.destroy(); // handled and applied, but the answer never leaves
      return;
    }
    writeAnswer(res, answer, requestId);
    entry.status = answer.status;
    traffic.emit('traffic', entry);
  }

  function originOf(headers: http.IncomingHttpHeaders, ip: string): string {
    const token = headers['x-bot-auth-token'];
    const source = headers['x-bot-source'];
    if (typeof token === 'string' && state.botTokens.has(token) && typeof source === 'string' && source !== '') {
      return `source:${source.slice(0, 256)}`;
    }
    return `ip:${ip}`;
  }

  const server = http.createServer((req, res) => {
    onRequest(req, res).catch((error: unknown) => {
      // A bug in the fake must be loud, not a quiet 500 that looks like the service's.
      console.error('fake mail API failed', error);
      if (!res.headersSent) res.writeHead(599).end();
    });
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    waitFor(predicate, timeoutMs = 5000) {
      const found = requests.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const onTraffic = (entry: RecordedRequest) => {
          if (!predicate(entry)) return;
          clearTimeout(timer);
          traffic.off('traffic', onTraffic);
          resolve(entry);
        };
        const timer = setTimeout(() => {
          traffic.off('traffic', onTraffic);
          reject(new Error(`fake mail API: no matching request within ${timeoutMs} ms (${requests.length} recorded)`));
        }, timeoutMs);
        traffic.on('traffic', onTraffic);
      });
    },
    addKey(key, ownerEmail) {
      state.keys.set(normaliseKey(key), { email: ownerEmail.toLowerCase(), revoked: false });
    },
    newKey(ownerEmail) {
      const key = randomBytes(32).toString('hex');
      state.keys.set(key, { email: ownerEmail.toLowerCase(), revoked: false });
      return key;
    },
    revokeKey(key) {
      const record = state.keys.get(normaliseKey(key));
      if (record) record.revoked = true;
    },
    ban(ban) {
      state.bans.push({ ...ban, value: ban.value.toLowerCase(), bannedAt: new Date(now()).toISOString() });
    },
    unban(type, value) {
      state.bans = state.bans.filter((b) => !(b.type === type && b.value === value.toLowerCase()));
    },
    takeHandle(handle, ownerKey, { active = true } = {}) {
      const owner = ownerKey === undefined ? SOMEONE_ELSE : (state.keys.get(normaliseKey(ownerKey))?.email ?? SOMEONE_ELSE);
      state.handles.set(handle.trim().toLowerCase(), { owner, active });
    },
    addAlias(address, { active = true } = {}) {
      state.aliases.set((address.split('@')[0] ?? '').trim().toLowerCase(), active);
    },
    handleState(handle) {
      const record = state.handles.get(handle.trim().toLowerCase());
      return record ? { ...record } : undefined;
    },
    addBotToken(token) {
      state.botTokens.add(token);
    },
    setDomains(domains) {
      state.domains = [...domains];
    },
    setShapes(shapes) {
      state.shapes = shapes;
    },
    setRateLimits(limits) {
      state.limits = resolveLimits(limits);
      state.windows.clear();
    },
    failMailDelivery(on) {
      state.mailDeliveryFails = on;
    },
    credentialsSends: state.credentialsSends,
    setLatency(ms) {
      state.latencyMs = ms;
    },
    inject(fault, { times = Number.POSITIVE_INFINITY, path } = {}) {
      state.faults.push({ fault, remaining: times, ...(path === undefined ? {} : { path }) });
    },
    clearFaults() {
      state.faults.length = 0;
    },
    hold() {
      if (state.gate) return;
      let open = () => {};
      const promise = new Promise<void>((resolve) => {
        open = resolve;
      });
      state.gate = { promise, open };
    },
    release() {
      state.gate?.open();
      state.gate = undefined;
    },
    async close() {
      state.gate?.open();
      state.gate = undefined;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => { resolve(); }));
    },
  };
}
