/**
 * The files Asterisk's say.c asks for: Chinese number mode against English, digit strings.
 */
import { describe, expect, it } from 'vitest';
import { digitFiles, numberFiles } from '../../sim/model/say.js';

const d = (...names: Array<string | number>) => names.map((n) => `digits/${n}`);

describe('number: in the Chinese mode (say.c ast_say_number_full_zh)', () => {
  it.each([
    [0, d(0)],
    [8, d(8)],
    [10, d(10)],
    [11, d(10, 1)],
    [25, d(20, 5)],
    [28, d(20, 8)],
    [100, d(1, 'hundred')],
    [105, d(1, 'hundred', 0, 5)],
    [110, d(1, 'hundred', 10)],
    [1050, d(1, 'thousand', 0, 50)],
    [2026, d(2, 'thousand', 0, 20, 6)],
    [10005, d(1, 'wan', 0, 5)],
    [-3, d('minus', 3)],
  ])('%i', (n, files) => {
    expect(numberFiles(n, 'zh')).toEqual(files);
  });

  it('applies to every zh language code, and English syntax to languages say.c does not model here', () => {
    expect(numberFiles(28, 'zh_CN')).toEqual(d(20, 8));
    expect(numberFiles(11, 'en')).toEqual(d(11));
    expect(numberFiles(28, 'en')).toEqual(d(20, 8));
    expect(numberFiles(105, 'en')).toEqual(d(1, 'hundred', 5));
    expect(numberFiles(2026, 'en')).toEqual(d(2, 'thousand', 20, 6));
  });

  it('refuses numbers of a billion and more, as say.c does', () => {
    expect(numberFiles(1_000_000_000, 'zh')).toBeUndefined();
    expect(numberFiles(1_000_000_000, 'en')).toBeUndefined();
  });
});

describe('digits: (say.c say_digit_str_full)', () => {
  it('one file per digit, star and pound, other characters skipped', () => {
    expect(digitFiles('20#1*')).toEqual(d(2, 0, 'pound', 1, 'star'));
    expect(digitFiles('A-7')).toEqual(d('minus', 7));
  });
});
