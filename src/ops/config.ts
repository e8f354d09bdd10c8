/**
 * Configuration: the environment, parsed once with zod into one typed object.
 * Every variable of DESIGN.md's table and nothing else. An invalid value stops the
 * start with one message that lists every problem, what is wrong and a good example.
 */
import path from 'node:path';
import { z } from 'zod';
import { absoluteStoreUrl, DEFAULT_DATABASE_FILE, resolveFromApp } from './paths.js';

const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off', ''])
    .optional()
    .transform((v) => (v === undefined || v === '' ? fallback : ['true', '1', 'yes', 'on'].includes(v)));

const seconds = (fallback: number, min = 0) =>
  z.coerce.number().int().min(min).optional().default(fallback);

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const httpUrl = (fallback: string) =>
  z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === '' ? fallback : v.trim()))
    .pipe(z.url({ protocol: /^https?$/ }));

/** 32 random bytes as 64 hex or 44 base64 characters. Checked here so a bad secret fails at start. */
export function parseSecret(value: string): Buffer | undefined {
  const text = value.trim();
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  if (/^[A-Za-z0-9+/]{43}=$/.test(text)) {
    const bytes = Buffer.from(text, 'base64');
    if (bytes.length === 32) return bytes;
  }
  return undefined;
}

const secret = optionalString.refine((v) => v === undefined || parseSecret(v) !== undefined, {
  error: 'must be 32 random bytes as 64 hex characters or 44 base64 characters (e.g. the output of `openssl rand -hex 32`)',
});

const identityList = optionalString.transform((v, ctx) => {
  if (v === undefined) return [] as string[];
  const ids = v.split(',').map((s) => s.trim()).filter(Boolean);
  for (const id of ids) {
    if (!/^(slack:[A-Z0-9]+:[A-Z0-9]+|discord:\d+|console:.+)$/.test(id)) {
      ctx.addIssue({ code: 'custom', message: `"${id}" is not an identity (expected slack:T123:U456, discord:789 or console:name)` });
    }
  }
  return ids;
});

/** Unset: the SQLite file inside DATA_DIR (filled in by loadConfig, which knows DATA_DIR). */
const storeUrl = optionalString.refine((v) => v === undefined || /^(sqlite:\/\/.+|rediss?:\/\/.+|postgres(ql)?:\/\/.+)$/.test(v), {
  error: 'must start with sqlite://, redis://, rediss:// or postgres:// (e.g. sqlite://data/handle-bot.sqlite)',
});

const port = z.coerce.number().int().min(0).max(65535);

/** An empty value (`HEALTH_PORT=` in a copied .env.example) means unset, not 0 or an invalid word. */
const blankAsUnset = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

export const configSchema = z
  .object({
    MAIL_API_URL: httpUrl('https://mail.haltman.io'),
    MAIL_API_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).optional().default(15_000),
    MAIL_API_BOT_TOKEN: optionalString,
    DOMAINS_CACHE_SECONDS: seconds(300),
    STORE_URL: storeUrl,
    /** Keeps deployments (or test runs) sharing one Redis/Postgres apart: the key prefix / table name. */
    STORE_PREFIX: optionalString.refine((v) => v === undefined || /^[a-z][a-z0-9_]{0,50}$/.test(v), {
      error: 'must be 1–51 lowercase letters, digits or _, starting with a letter (e.g. handle_bot_staging)',
    }),
    HANDLE_BOT_SECRET: secret,
    HANDLE_BOT_SECRET_PREVIOUS: secret,
    DATA_DIR: z.string().optional().transform((v) => (v === undefined || v.trim() === '' ? 'data' : v.trim())),
    COOLDOWN_SECONDS: seconds(5),
    KEY_REQUEST_INTERVAL_SECONDS: seconds(600),
    KEY_REQUESTS_PER_DAY: seconds(3),
    ADMIN_USERS: identityList,
    NOTIFY_COALESCE_SECONDS: seconds(60),
    OUTAGE_THRESHOLD: seconds(5, 1),
    /** How long a replica's claim on a command it acknowledged lasts unrenewed (core/intents.ts); swept every third of it. */
    INTENT_LEASE_SECONDS: z.coerce.number().int().min(1).max(300).optional().default(15),
    SLACK_BOT_TOKEN: optionalString.refine((v) => v === undefined || v.startsWith('xoxb-'), {
      error: 'must be a bot token starting with xoxb- (Slack app → OAuth & Permissions)',
    }),
    SLACK_APP_TOKEN: optionalString.refine((v) => v === undefined || v.startsWith('xapp-'), {
      error: 'must be an app-level token starting with xapp- (Slack app → Basic Information → App-Level Tokens)',
    }),
    SLACK_SIGNING_SECRET: optionalString,
    SLACK_PORT: port.optional().default(3000),
    SLACK_API_URL: httpUrl('https://slack.com/api/'),
    /** Hosted multi-workspace mode (Bolt's OAuth, "Add to Slack"): all three, instead of SLACK_BOT_TOKEN. */
    SLACK_CLIENT_ID: optionalString,
    SLACK_CLIENT_SECRET: optionalString,
    SLACK_STATE_SECRET: optionalString.refine((v) => v === undefined || v.length >= 16, {
      error: 'must be at least 16 random characters (e.g. the output of `openssl rand -hex 32`)',
    }),
    /** Socket Mode with OAuth: where Bolt's installer pages (/slack/install, /slack/oauth_redirect) listen. */
    SLACK_INSTALLER_PORT: port.optional().default(3001),
    DISCORD_TOKEN: optionalString,
    DISCORD_APPLICATION_ID: optionalString.refine((v) => v === undefined || /^\d{15,25}$/.test(v), {
      error: 'must be the numeric application id (Developer Portal → General Information), e.g. 1234567890123456789',
    }),
    DISCORD_API_URL: httpUrl('https://discord.com/api'),
    DISCORD_GUILD_ID: optionalString.refine((v) => v === undefined || /^\d{15,25}$/.test(v), {
      error: 'must be a numeric server id, e.g. 1234567890123456789',
    }),
    DISCORD_MEMBERS_INTENT: bool(false),
    /** Set: Discord POSTs interactions to `/discord/interactions` (HTTP mode; replicas allowed). */
    DISCORD_PUBLIC_KEY: optionalString.refine((v) => v === undefined || /^[0-9a-f]{64}$/i.test(v), {
      error: 'must be the application\'s public key, 64 hexadecimal characters (Developer Portal → General Information → Public Key)',
    }),
    DISCORD_HTTP_PORT: z.preprocess(blankAsUnset, port.optional().default(3002)),
    /** `full`: commands and events over the gateway; `events`: member joins only (HTTP mode); `off`: no gateway. Default: full, or off in HTTP mode. */
    DISCORD_GATEWAY: z.preprocess(blankAsUnset, z.enum(['full', 'events', 'off']).optional()),
    HEALTH_PORT: z.preprocess(blankAsUnset, port.optional()),
    /** Unset: `info` for services; the console and the demo show only warnings and errors. */
    LOG_LEVEL: z.preprocess(blankAsUnset, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional()),
    /** `auto`: short human lines when the log goes to a terminal, JSON lines otherwise. */
    LOG_FORMAT: z.preprocess(blankAsUnset, z.enum(['auto', 'json', 'pretty']).optional().default('auto')),
  })
  .superRefine((c, ctx) => {
    const oauth = [c.SLACK_CLIENT_ID, c.SLACK_CLIENT_SECRET, c.SLACK_STATE_SECRET];
    if (oauth.some(Boolean) && !oauth.every(Boolean)) {
      for (const [name, value] of [['SLACK_CLIENT_ID', c.SLACK_CLIENT_ID], ['SLACK_CLIENT_SECRET', c.SLACK_CLIENT_SECRET], ['SLACK_STATE_SECRET', c.SLACK_STATE_SECRET]] as const) {
        if (!value) ctx.addIssue({ code: 'custom', path: [name], message: 'is required with the other two for "Add to Slack" (SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET)' });
      }
    }
    const hosted = oauth.every(Boolean);
    if (hosted && c.SLACK_BOT_TOKEN) {
      ctx.addIssue({ code: 'custom', path: ['SLACK_BOT_TOKEN'], message: 'must be empty with SLACK_CLIENT_ID: each workspace gets its own token when it installs the app' });
    }
    if ((c.SLACK_BOT_TOKEN || hosted) && !c.SLACK_APP_TOKEN && !c.SLACK_SIGNING_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['SLACK_SIGNING_SECRET'],
        message: `Slack needs either SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode) next to ${hosted ? 'SLACK_CLIENT_ID' : 'SLACK_BOT_TOKEN'}`,
      });
    }
    if ((c.SLACK_APP_TOKEN || c.SLACK_SIGNING_SECRET) && !c.SLACK_BOT_TOKEN && !hosted) {
      ctx.addIssue({ code: 'custom', path: ['SLACK_BOT_TOKEN'], message: 'is required when SLACK_APP_TOKEN or SLACK_SIGNING_SECRET is set (xoxb-…), unless SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET are' });
    }
    if (c.DISCORD_TOKEN && !c.DISCORD_APPLICATION_ID) {
      ctx.addIssue({ code: 'custom', path: ['DISCORD_APPLICATION_ID'], message: 'is required next to DISCORD_TOKEN (Developer Portal → General Information)' });
    }
    if (c.DISCORD_GATEWAY !== undefined && c.DISCORD_GATEWAY !== 'full' && !c.DISCORD_PUBLIC_KEY) {
      ctx.addIssue({ code: 'custom', path: ['DISCORD_GATEWAY'], message: 'events or off needs DISCORD_PUBLIC_KEY: without the HTTP interactions endpoint, commands arrive through the gateway (full)' });
    }
    if (c.DISCORD_GATEWAY === 'full' && c.DISCORD_PUBLIC_KEY) {
      ctx.addIssue({ code: 'custom', path: ['DISCORD_GATEWAY'], message: 'must be events or off with DISCORD_PUBLIC_KEY: Discord sends interactions to the endpoint, not the gateway' });
    }
    if (c.STORE_URL !== undefined && !c.STORE_URL.startsWith('sqlite://') && !c.HANDLE_BOT_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['HANDLE_BOT_SECRET'],
        message: 'is required with a Redis or Postgres store so that every replica opens the same keys (generate one with `openssl rand -hex 32`)',
      });
    }
  });

/**
 * The parsed configuration with every path made absolute: DATA_DIR and a relative SQLite
 * path are read from handle-bot's folder (see paths.ts), and STORE_URL defaults to the
 * database file inside DATA_DIR, so one folder holds the database and its secret.
 */
export type Config = Omit<z.infer<typeof configSchema>, 'STORE_URL'> & { STORE_URL: string };

function withResolvedPaths(parsed: z.infer<typeof configSchema>): Config {
  const dataDir = resolveFromApp(parsed.DATA_DIR);
  const storeUrl = parsed.STORE_URL === undefined ? `sqlite://${path.join(dataDir, DEFAULT_DATABASE_FILE)}` : absoluteStoreUrl(parsed.STORE_URL);
  return { ...parsed, DATA_DIR: dataDir, STORE_URL: storeUrl };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee .env.example for every variable and its default.`);
    this.name = 'ConfigError';
  }
}

/** Whether Slack is configured: one workspace (SLACK_BOT_TOKEN) or hosted for many (SLACK_CLIENT_ID & co). */
export function slackConfigured(config: Config): boolean {
  return config.SLACK_BOT_TOKEN !== undefined || slackHosted(config);
}

/** The hosted multi-workspace mode: Bolt's OAuth, every workspace installs the app with "Add to Slack". */
export function slackHosted(config: Config): boolean {
  return config.SLACK_CLIENT_ID !== undefined && config.SLACK_CLIENT_SECRET !== undefined && config.SLACK_STATE_SECRET !== undefined;
}

/** Parses an environment (process.env by default). Throws ConfigError listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const known = Object.fromEntries(Object.keys(configSchema.shape).map((k) => [k, env[k]]));
  const parsed = configSchema.safeParse(known);
  if (parsed.success) return withResolvedPaths(parsed.data);
  // Never echo a value: some of these are secrets.
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'configuration'}: ${issue.message}`);
  throw new ConfigError(problems);
}

/** Reads `.env` when present; real environment variables win. A missing file is fine. */
export function loadDotEnv(path = '.env'): void {
  try {
    process.loadEnvFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
