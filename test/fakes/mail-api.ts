/**
 * The faithful fake of the mail-forwarding API lives in src/tools/demo/fake-mail-api/ (the demo
 * runs the bot against it); tests import it from here as before.
 */
export * from '../../src/tools/demo/fake-mail-api/index.js';
