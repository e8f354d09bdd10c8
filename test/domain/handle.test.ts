import { describe, expect, it } from 'vitest';
import { isValidHandle, normaliseHandle, suggestHandle, validateHandle } from '../../src/domain/handle.js';

describe('the handle rule', () => {
  it('normalises like the service: trims spaces, tabs and newlines, then lower-cases', () => {
    expect(normaliseHandle(' \t Alice.Smith\n')).toBe('alice.smith');
    expect(validateHandle(' \t Alice.Smith\n')).toEqual({ ok: true, handle: 'alice.smith' });
  });

  it('accepts every RFC 5322 atext character and single dots between parts', () => {
    for (const handle of ["a!#$%&'*+/=?^_`{|}~-z", 'a.b.c', '0', 'x'.repeat(64), 'first.last-2024']) {
      expect(validateHandle(handle)).toEqual({ ok: true, handle });
    }
  });

  it.each([
    ['', { code: 'empty' }, undefined],
    ['   ', { code: 'empty' }, undefined],
    ['John Doe', { code: 'space' }, 'john.doe'],
    ['a\tb', { code: 'space' }, 'a.b'],
    ['a..b', { code: 'double_dot' }, 'a.b'],
    ['.alice', { code: 'leading_dot' }, 'alice'],
    ['alice.', { code: 'trailing_dot' }, 'alice'],
    ['alice@example.com', { code: 'at_sign' }, 'alice'],
    ['@bob', { code: 'at_sign' }, 'bob'],
    ['josé', { code: 'non_ascii', char: 'é' }, 'jose'],
    ['jose\u0301', { code: 'non_ascii', char: 'e\u0301' }, 'jose'],
    ['Straße', { code: 'non_ascii', char: 'ß' }, 'strasse'],
    ['日本', { code: 'non_ascii', char: '日' }, undefined],
    ['a"b', { code: 'forbidden_char', char: '"' }, 'a.b'],
    ['doe,john', { code: 'forbidden_char', char: ',' }, 'doe.john'],
    ['a(b)', { code: 'forbidden_char', char: '(' }, 'a.b'],
    ['x'.repeat(70), { code: 'too_long', length: 70 }, 'x'.repeat(64)],
  ])('%j is refused with %j and %j suggested', (raw, problem, suggestion) => {
    const check = validateHandle(raw);
    expect(check).toEqual({ ok: false, handle: normaliseHandle(raw), problem, ...(suggestion === undefined ? {} : { suggestion }) });
    if (suggestion !== undefined) expect(isValidHandle(suggestion)).toBe(true);
  });

  it('reports an @ before anything else: a whole address was typed', () => {
    expect(validateHandle('john doe@example.com')).toMatchObject({ problem: { code: 'at_sign' }, suggestion: 'john.doe' });
  });

  it('reports the first bad character in reading order', () => {
    expect(validateHandle('jö n')).toMatchObject({ problem: { code: 'non_ascii', char: 'ö' } });
    expect(validateHandle('j n ö')).toMatchObject({ problem: { code: 'space' } });
  });

  it('suggests a handle from a display name', () => {
    expect(suggestHandle('Jöhn Doe')).toBe('john.doe');
    expect(suggestHandle('  Zoë   Ångström ')).toBe('zoe.angstrom');
    expect(suggestHandle('Doe, John (ACME)')).toBe('doe.john.acme');
    expect(suggestHandle('Ærøskøbing')).toBe('aeroskobing');
    expect(suggestHandle('🙂')).toBeUndefined();
    expect(suggestHandle('...')).toBeUndefined();
  });

  it('keeps a truncated suggestion valid (no dot left at the cut)', () => {
    const suggestion = suggestHandle(`${'a'.repeat(63)} b`);
    expect(suggestion).toBe('a'.repeat(63));
    expect(isValidHandle(suggestion!)).toBe(true);
  });

  it('isValidHandle follows the service, normalisation included', () => {
    expect(isValidHandle('  Alice ')).toBe(true);
    expect(isValidHandle('a..b')).toBe(false);
    expect(isValidHandle('x'.repeat(65))).toBe(false);
  });
});
