/**
 * What running a command did, typed, beside the words shown for it. Callers that act on the
 * result (the Workflow step's outputs, a form deciding whether to ask again, metrics) read the
 * outcome instead of re-deriving it from the replies or asking the service again.
 */
import type { Handle } from '../domain/handle.js';
import type { MailOutcome } from '../mail-api/outcomes.js';
import type { CommandResult, Reply } from './types.js';

/** Why the bot answered without doing what was asked (no service call spent, or none possible). */
export type Refusal =
  | 'not_admin'
  | 'needs_scope'
  | 'no_key'
  | 'unreadable_key'
  /** Too many of the caller's creates/deletes are waiting their turn already. */
  | 'busy'
  /** The person's own limit on key requests (one every few minutes, a few a day) was reached. */
  | 'key_request_limit'
  /** The caller's history shows the handle deleted already (a deletion is final). */
  | 'already_deleted'
  | 'invalid_input'
  | 'missing_input'
  | 'unknown_command'
  | 'channel_unusable';

export type Outcome =
  /** A handle was claimed; `addresses` is every address it now receives mail on (empty when the domains were unknown). */
  | { kind: 'created'; handle: string; addresses: string[] }
  /** The service did not say in time whether the claim happened: it may be theirs. */
  | { kind: 'create_unconfirmed'; handle: Handle }
  | { kind: 'deleted'; handle: string }
  | { kind: 'key_linked'; replaced: boolean }
  | { kind: 'key_removed'; wasLinked: boolean }
  | { kind: 'credentials_requested' }
  | { kind: 'forgotten' }
  | { kind: 'settings_changed' }
  /** Information only (list, domains, help, key status). */
  | { kind: 'shown' }
  /** A question back: the command asks to confirm, or for an input that must arrive another way. */
  | { kind: 'needs_confirmation' }
  | { kind: 'needs_input'; option: string }
  | { kind: 'refused'; reason: Refusal }
  /** The service refused or could not answer: its outcome's kind says which. */
  | { kind: 'failed'; reason: MailOutcome['kind'] }
  /** Something broke inside the bot (the store, a bug); the replies apologise. */
  | { kind: 'broken'; reason: 'storage_unavailable' | 'internal_error' };

/** Outcomes in which the bot did what was asked. */
export function succeeded(outcome: Outcome): boolean {
  return ['created', 'deleted', 'key_linked', 'key_removed', 'credentials_requested', 'forgotten', 'settings_changed', 'shown'].includes(outcome.kind);
}

/** A command's answer: the outcome and the replies that show it. */
export function result(outcome: Outcome, ...replies: Reply[]): CommandResult {
  return { outcome, replies };
}

/** The service refused or failed; `reply` explains it. */
export function failed(mailOutcome: Pick<MailOutcome, 'kind'>, reply: Reply): CommandResult {
  return result({ kind: 'failed', reason: mailOutcome.kind }, reply);
}

export function refusedWith(reason: Refusal, reply: Reply): CommandResult {
  return result({ kind: 'refused', reason }, reply);
}
