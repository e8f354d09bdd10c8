import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/ops/logger.js';
import { registerSecret } from '../../src/ops/redact.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  return { lines, log: createLogger({ destination, level: 'debug' }) };
}

const API_KEY = '0123456789abcdef'.repeat(4);

describe('logger', () => {
  it('never writes an API key, wherever it appears', () => {
    const { lines, log } = capture();
    log.info({ apiKey: API_KEY }, 'field');
    log.info({ headers: { 'X-API-Key': API_KEY, 'content-type': 'application/json' } }, 'headers');
    log.info({ url: `https://mail.example/api?key=${API_KEY}` }, 'url');
    log.info(`message with ${API_KEY.toUpperCase()} inside`);
    log.error({ err: new Error(`request failed for ${API_KEY}`) }, 'error object');
    const nested = new Error('outer', { cause: new Error(`inner ${API_KEY}`) });
    log.warn({ err: nested, config: { HANDLE_BOT_SECRET: 'cd'.repeat(32) } }, 'nested');
    const output = lines.join('');
    expect(lines).toHaveLength(6);
    expect(output.toLowerCase()).not.toContain(API_KEY);
    expect(output).not.toContain('cd'.repeat(32));
    expect(output).toContain('[Redacted]');
    expect(output).toContain('content-type'); // what is not secret stays readable
    expect(output).toContain('"message":"request failed for [Redacted]"'); // errors keep their shape
  });

  it('scrubs chat tokens and registered secrets', () => {
    const { lines, log } = capture();
    registerSecret('signing-secret-value-xyz');
    log.info({ detail: 'Bearer xoxb-1234-5678-abcdefghijkl and xapp-1-A1-99-abcdef1234' }, 'tokens');
    log.info('signature made with signing-secret-value-xyz');
    const output = lines.join('');
    expect(output).not.toContain('xoxb-1234');
    expect(output).not.toContain('xapp-1-A1');
    expect(output).not.toContain('signing-secret-value-xyz');
  });
});

describe('logger, mistyped keys', () => {
  it('scrubs a pasted key with a character too many or too few', () => {
    const { lines, log } = capture();
    log.info(`frame ${API_KEY}0 and ${API_KEY.slice(1)}`);
    expect(lines.join('')).not.toMatch(/[0-9a-f]{40,}/);
  });
});
