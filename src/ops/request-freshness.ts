/**
 * How fresh a signed request must be, and how long a delivery must be remembered so that a
 * captured request replayed at any moment its signature still passes is recognised. Shared by
 * every signed HTTP endpoint (Slack events, Discord interactions) and the core's dedupe.
 */

/** A signed request stamped further than this from our clock, either way, is refused. */
export const MAX_REQUEST_AGE_SECONDS = 5 * 60;

/** How far apart the clocks of replicas (and the platform's) may be without a replay slipping through. */
export const CLOCK_SKEW_SECONDS = 60;

/**
 * The whole window in which a signed request is accepted (MAX_REQUEST_AGE_SECONDS either side of
 * its timestamp) plus clock skew between replicas. The platforms' own retries fall well inside.
 */
export const REPLAY_WINDOW_SECONDS = 2 * MAX_REQUEST_AGE_SECONDS + CLOCK_SKEW_SECONDS;
