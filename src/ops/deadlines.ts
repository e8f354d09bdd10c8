/**
 * Every deadline, derived in one place from MAIL_API_TIMEOUT_MS (the total deadline of one
 * mail-service call), so that they fit together: a graceful stop waits at least as long as the
 * longest command can run, and the Workflow step gives a command that long before it gives up.
 */
import type { Config } from './config.js';

/** What one command spends on the store around its service calls (each store call has its own 3 s deadline). */
const STORE_ALLOWANCE_MS = 5_000;
/** Posting an answer: a response_url, a Web API call, a Discord webhook. */
const DELIVERY_MS = 10_000;
/** A third of a trigger id's life: what is left is enough for views.open itself. */
const FORM_LANGUAGE_MS = 1_000;

export type Deadlines = {
  /** One mail-service call, connection and body included. */
  mailCallMs: number;
  /** The longest a command can take: a create is the create call plus the domain list, and store calls around them. */
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

export function deadlinesFor(config: Pick<Config, 'MAIL_API_TIMEOUT_MS'>): Deadlines {
  const mailCallMs = config.MAIL_API_TIMEOUT_MS;
  const commandMs = 2 * mailCallMs + STORE_ALLOWANCE_MS;
  return {
    mailCallMs,
    commandMs,
    drainMs: commandMs + DELIVERY_MS,
    stepMs: commandMs,
    responseUrlMs: DELIVERY_MS,
    webApiMs: DELIVERY_MS,
    formLanguageMs: FORM_LANGUAGE_MS,
  };
}
