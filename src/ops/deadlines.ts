/**
 * Every deadline, derived in one place from MAIL_API_TIMEOUT_MS (the total deadline of one
 * mail-service call) and COOLDOWN_SECONDS (a create or delete may first wait its turn), so that
 * they fit together: a graceful stop waits at least as long as the longest command can run, and
 * the Workflow step gives a command that long before it gives up.
 */
import type { Config } from './config.js';

/** What one command spends on the store around its service calls (each store call has its own 3 s deadline). */
const STORE_ALLOWANCE_MS = 5_000;
/** Posting an answer: a response_url, a Web API call, a Discord webhook. */
const DELIVERY_MS = 10_000;
/**
 * How many creates/deletes one person may have waiting for their turn (one runs every
 * COOLDOWN_SECONDS); one more is refused with how long to wait.
 */
export const QUEUED_TURNS = 3;
/** A third of a trigger id's life: what is left is enough for views.open itself. */
const FORM_LANGUAGE_MS = 1_000;

export type Deadlines = {
  /** One mail-service call, connection and body included. */
  mailCallMs: number;
  /** The longest a create or delete waits for its turn (QUEUED_TURNS cooldowns). */
  turnWaitMs: number;
  /** The longest a command can take: its turn, then a create is the create call plus the domain list, and store calls around them. */
  commandMs: number;
  /** How long a graceful stop waits for work in flight: the longest command, then posting its answer. */
  drainMs: number;
  /** The Workflow Builder step fails with "did not finish in time" after this. */
  stepMs: number;
  /** A POST to Slack's response_url. */
  responseUrlMs: number;
  /** One Slack Web API request. */
  webApiMs: number;
  /**
   * How long a Slack form waits for the person's language (users.info) before it opens anyway,
   * in English: the trigger id that opens it lives about 3 s from the click.
   */
  formLanguageMs: number;
};

export function deadlinesFor(config: Pick<Config, 'MAIL_API_TIMEOUT_MS' | 'COOLDOWN_SECONDS'>): Deadlines {
  const mailCallMs = config.MAIL_API_TIMEOUT_MS;
  const turnWaitMs = QUEUED_TURNS * config.COOLDOWN_SECONDS * 1000;
  const commandMs = turnWaitMs + 2 * mailCallMs + STORE_ALLOWANCE_MS;
  return {
    mailCallMs,
    turnWaitMs,
    commandMs,
    drainMs: commandMs + DELIVERY_MS,
    stepMs: commandMs,
    responseUrlMs: DELIVERY_MS,
    webApiMs: DELIVERY_MS,
    formLanguageMs: FORM_LANGUAGE_MS,
  };
}
