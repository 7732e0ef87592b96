/**
 * The sound files Asterisk's say.c asks for: `digits:` (ast_say_digit_str) and `number:`
 * (ast_say_number), per language. File names are language-neutral (`digits/20`); the channel
 * or playback language picks the directory they are read from.
 *
 * English syntax is Asterisk's default for languages it has no grammar for; the simulator
 * models English and Chinese (say.c `ast_say_number_full_zh`, used for every `zh*` language).
 */

/** ast_say_digit_str: one file per character; characters without a file are skipped. */
export function digitFiles(text: string): string[] {
  const files: string[] = [];
  for (const ch of text) {
    if (ch >= '0' && ch <= '9') files.push(`digits/${ch}`);
    else if (ch === '*') files.push('digits/star');
    else if (ch === '#') files.push('digits/pound');
    else if (ch === '-') files.push('digits/minus');
  }
  return files;
}

/** ast_say_number for `language`; undefined when Asterisk refuses the number ("too big"). */
export function numberFiles(num: number, language: string): string[] | undefined {
  const lang = language.toLowerCase();
  if (lang.startsWith('zh') || lang.startsWith('tw')) return numberZh(num);
  return numberEn(num);
}

/** say.c ast_say_number_full_en. */
function numberEn(start: number): string[] | undefined {
  if (start === 0) return ['digits/0'];
  const files: string[] = [];
  let num = start;
  let playh = false;
  while (num !== 0 || playh) {
    if (num < 0) {
      files.push('digits/minus');
      num = -num;
    } else if (playh) {
      files.push('digits/hundred');
      playh = false;
    } else if (num < 20) {
      files.push(`digits/${num}`);
      num = 0;
    } else if (num < 100) {
      files.push(`digits/${Math.floor(num / 10) * 10}`);
      num %= 10;
    } else if (num < 1000) {
      files.push(`digits/${Math.floor(num / 100)}`);
      playh = true;
      num %= 100;
    } else if (num < 1_000_000) {
      const head = numberEn(Math.floor(num / 1000));
      if (!head) return undefined;
      files.push(...head, 'digits/thousand');
      num %= 1000;
    } else if (num < 1_000_000_000) {
      const head = numberEn(Math.floor(num / 1_000_000));
      if (!head) return undefined;
      files.push(...head, 'digits/million');
      num %= 1_000_000;
    } else {
      return undefined;
    }
  }
  return files;
}

/**
 * say.c ast_say_number_full_zh: tens as `digits/20` + `digits/8` (so 11 is 10 + 1), hundreds
 * and thousands with `digits/hundred` / `digits/thousand`, 万 and 亿 as `digits/wan` /
 * `digits/yi`, and a `digits/0` where a place is skipped (105: 1 hundred 0 5). `last`
 * follows say.c's `last_length`, including its unsigned comparison.
 */
function numberZh(start: number): string[] | undefined {
  if (start === 0) return ['digits/0'];
  const files: string[] = [];
  let num = start;
  let playh = false;
  let playt = false;
  let playz = false;
  let last = 0;
  // say.c: `last_length - strlen(buf) > 1` with an int and a size_t: negative is huge.
  const skipped = (len: number): boolean => last !== 0 && (last - len > 1 || last - len < 0);
  while (num !== 0 || playh || playt || playz) {
    const len = String(num).length;
    if (num < 0) {
      files.push('digits/minus');
      num = -num;
    } else if (playz) {
      files.push('digits/0');
      last = 0;
      playz = false;
    } else if (playh) {
      files.push('digits/hundred');
      playh = false;
    } else if (playt) {
      files.push('digits/thousand');
      playt = false;
    } else if (num < 10) {
      if (skipped(len)) {
        last = len;
        playz = true;
        continue;
      }
      files.push(`digits/${num}`);
      num = 0;
    } else if (num < 100) {
      if (skipped(len)) {
        last = len;
        playz = true;
        continue;
      }
      last = len;
      files.push(`digits/${Math.floor(num / 10) * 10}`);
      num %= 10;
    } else if (num < 1000) {
      if (skipped(len)) {
        last = len;
        playz = true;
        continue;
      }
      files.push(`digits/${Math.floor(num / 100)}`);
      playh = true;
      last = len;
      num -= Math.floor(num / 100) * 100;
    } else if (num < 10_000) {
      files.push(`digits/${Math.floor(num / 1000)}`);
      playt = true;
      last = len;
      num -= Math.floor(num / 1000) * 1000;
    } else if (num < 100_000_000) {
      const head = numberZh(Math.floor(num / 10_000));
      if (!head) return undefined;
      files.push(...head, 'digits/wan');
      num -= Math.floor(num / 10_000) * 10_000;
      last = len;
    } else if (num < 1_000_000_000) {
      const head = numberZh(Math.floor(num / 100_000_000));
      if (!head) return undefined;
      files.push(...head, 'digits/yi');
      last = len;
      num -= Math.floor(num / 100_000_000) * 100_000_000;
    } else {
      return undefined;
    }
  }
  return files;
}
