/**
 * The message catalogue: everything a user reads comes from here, keyed by what happened —
 * the words of every front door included (slack.ts, discord.ts, console.ts), so that a locale
 * is one catalogue with the same ids. English only for now; this is where locales will go.
 */
export * from './common.js';
export * from './failures.js';
export * from './handle-problems.js';
export * from './handles.js';
export * from './keys.js';
export * from './admin.js';
export * from './help.js';
export * from './forms.js';
export * from './console.js';
export * from './slack.js';
export * from './discord.js';
export * from './notifications.js';
export * from './onboarding.js';
export * from './demo.js';
