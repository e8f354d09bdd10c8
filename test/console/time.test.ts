/** Dates on the console: local time with how long ago, in the reader's locale. */
import { describe, expect, it } from 'vitest';
import { renderConsoleReply } from '../../src/console/render.js';
import { consoleTime } from '../../src/console/time.js';
import { catalogue } from '../../src/core/messages/index.js';

const AT = 1_700_000_000; // 2023-11-14 22:13:20 UTC
const NOW = (AT + 180) * 1000;

describe('a time on the console', () => {
  it('is the local date and time, then how long ago, in English and in Portuguese', () => {
    expect(consoleTime(AT, 'en', { nowMs: NOW, timeZone: 'UTC' })).toBe('Nov 14, 2023, 10:13 PM (3 minutes ago)');
    // São Paulo is three hours behind UTC, and reads day/month with a 24-hour clock.
    expect(consoleTime(AT, 'pt-BR', { nowMs: NOW, timeZone: 'America/Sao_Paulo' })).toBe('14 de nov. de 2023, 19:13 (há 3 minutos)');
    expect(consoleTime(AT, 'en', { nowMs: (AT - 45) * 1000, relative: true })).toBe('in 45 seconds');
    expect(consoleTime(AT, 'pt-BR', { nowMs: (AT - 45) * 1000, relative: true })).toBe('em 45 segundos');
    expect(consoleTime(AT, 'en', { nowMs: (AT + 86_400 + 60) * 1000, relative: true })).toBe('yesterday');
  });

  it('a list shows each handle with its local time and how long ago, never an ISO timestamp', () => {
    const list = catalogue('pt-BR').listReply([{ handle: 'alice', status: 'claimed', at: AT * 1000 }]);
    const lines = renderConsoleReply(list, 1, NOW);
    expect(lines.join('\n')).toMatch(/`alice` — .*\(há 3 minutos\)/);
    expect(lines.join('\n')).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
  });
});
