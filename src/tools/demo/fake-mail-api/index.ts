/**
 * A loopback fake of the mail-forwarding API that behaves like the service case by case, as
 * upstream-contract.md describes it: normalisation, the handle rule, the order of checks, bans,
 * taken/reserved handles, per-key and per-origin rate limits, the credentials flow, request-id
 * echo, and the public docs' alternative body shapes. On top of that: fault switches (latency,
 * hang, resets, HTML pages, forced statuses), a hold/release gate, and a record of every request
 * with an event-based `waitFor`, so tests wait on traffic instead of sleeping.
 *
 * The tests use it as the oracle the client is checked against (test/fakes/mail-api.ts
 * re-exports it), and `handle-bot demo` runs the bot against it. It deliberately imports
 * nothing else from src/: its handle rule is written out from the contract rather than shared
 * with the client. Only the demo loads it; a normal start never does.
 *
 *   const api = await startFakeMailApi();
 *   const key = api.newKey('alice@example.com');
 *   // point the bot at api.url, run a flow …
 *   const req = await api.waitFor((r) => r.path === '/api/handle/create' && r.status !== undefined);
 *   await api.close();
 */
export { startFakeMailApi } from './server.js';
export {
  DEFAULT_RATE_LIMITS,
  type BanType, type BodyShapes, type CredentialsSend, type FakeBan, type FakeMailApi, type FakeMailApiOptions, type Fault,
  type RateLimitSettings, type RecordedRequest,
} from './types.js';
