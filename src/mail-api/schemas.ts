/**
 * Response bodies of the mail-forwarding API, as zod schemas that accept every shape listed in
 * upstream-contract.md: what the live server sends and what the public docs show. Objects are
 * loose (the service may add fields) and optional details never fail a parse when they have an
 * unexpected type: a detail we cannot read is simply left out, the status code still decides.
 * Bodies that are not JSON at all (the plain-text 429, HTML error pages, empty bodies) never
 * reach these schemas; the client decides those by status code.
 */
import { z } from 'zod';

/** An optional detail that is ignored, not fatal, when it is not a string. */
const detail = z.string().optional().catch(undefined);
const count = z.number().optional().catch(undefined);

/**
 * Ban details. Live: `{ban_type, ban_value, reason, banned_at}`. The docs show `ban: {}` with
 * `type`/`value` beside it at the top level, so those are read from the error body too.
 */
const banSchema = z.looseObject({
  ban_type: detail,
  ban_value: detail,
  reason: detail,
  banned_at: detail,
  type: detail,
  value: detail,
});

/**
 * Every error body: `{"error":"invalid_params","field":"handle"}`, the docs' richer
 * `{error, field, reason, hint, constraints}`, `{"error":"Unauthorized","message","code"}`,
 * `{"error":"banned","ban":{…}}`, `{"ok":false,"error":"alias_taken"}`, the docs' Conflict,
 * `{"error":"rate_limited","where","reason"}`, `managed_domain_not_allowed` with `domain`, and
 * the framework's `{"message","error":"Not Found","statusCode":404}`.
 */
export const errorBodySchema = z.looseObject({
  error: z.string(),
  field: detail,
  reason: detail,
  hint: detail,
  message: detail,
  domain: detail,
  where: detail,
  type: detail,
  value: detail,
  statusCode: count,
  ban: banSchema.optional().catch(undefined),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

/** 200 on create. `handle` is the server's normalised form; `goto` the key owner's address. */
export const createdBodySchema = z.looseObject({
  ok: z.literal(true).optional(),
  created: z.boolean().optional().catch(undefined),
  handle: z.string().min(1),
  goto: z.string(),
});

/** 200 on delete: `{"ok":true,"updated":true,"handle":"alice","active":false}`. */
export const deletedBodySchema = z.looseObject({
  ok: z.literal(true).optional(),
  handle: detail,
  updated: z.boolean().optional().catch(undefined),
  active: z.boolean().optional().catch(undefined),
});

/**
 * 200 on `GET /api/alias/stats`: `{"totals":0,"active":0,…}`. Only "it is a JSON object" is
 * required: an HTML page with status 200 (a proxy's or an SPA's fallback) must not pass as
 * "your key works".
 */
export const statsBodySchema = z.looseObject({
  totals: count,
  active: count,
});

/** `GET /api/domains`: a bare JSON array of domain names. */
export const domainsBodySchema = z.array(z.string());

/** 200 on `POST /api/credentials/create`; `sent:false` with `reason:"cooldown"` within 60 s. */
export const credentialsBodySchema = z.looseObject({
  ok: z.literal(true).optional(),
  email: detail,
  days: count,
  confirmation: z.looseObject({
    sent: z.boolean(),
    reason: detail,
    ttl_minutes: count,
    status: detail,
    expires_at: detail,
    last_sent_at: detail,
    next_allowed_send_at: detail,
    send_count: count,
    remaining_attempts: count,
  }),
});
