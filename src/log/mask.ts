/**
 * Masks phone numbers for logs and stored error texts: confidentiality rules forbid full
 * caller numbers outside the access-controlled record. Keeps enough to tell calls apart.
 *   13812345678 → 138******78    12345 → 12345 (service numbers of 5 digits or fewer stay)
 *
 * Two ways in: `maskNumber` for a value known to be a number (a field named `caller`), and
 * `maskPhoneNumbers` for any text — a message, an error string, a response body — where a
 * number may hide among other words.
 */
export function maskNumber(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const digits = value.replace(/\D/g, '');
  if (digits.length <= 5) return value;
  return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 5)}${digits.slice(-2)}`;
}

/**
 * What looks like a Chinese phone number inside text, standing alone (not part of a longer
 * run of digits, a decimal, a hex id or a word):
 *   - a mobile: 1[3-9] and 9 more digits, maybe behind +86 / 86 / 0086;
 *   - a fixed line with its area code: 0, 2–3 digits, maybe a dash or space, 7–8 digits;
 *   - a local fixed line or any other bare run of 7 to 20 digits that is not an id we make:
 *     masked too, since a number dialled may have any length.
 * Left alone: Asterisk channel ids (`1733112233.45`: digits joined by a dot), Redis stream
 * ids (`1733112233123-0`), UUIDs (also one whose first group happens to be all digits,
 * `56917181-deda-…`) and ISO timestamps.
 */
const PHONE_IN_TEXT = /(?<![\w.*])(?:(?:\+|00)?86[- ]?)?(?:1[3-9]\d{9}|0\d{2,3}[- ]?\d{7,8}|\d{7,20})(?![\w*]|[.-]\d|-[0-9a-fA-F]{4}-)/g;

export function maskPhoneNumbers(text: string): string {
  return text.replace(PHONE_IN_TEXT, (found) => String(maskNumber(found)));
}

/**
 * The same for one serialised JSON log line: a number written as a bare JSON number
 * (`"caller":13812345678`) becomes a string, so the line stays valid JSON.
 */
export function maskPhoneNumbersInJson(line: string): string {
  return line.replace(PHONE_IN_TEXT, (found, offset: number, whole: string) => {
    const masked = String(maskNumber(found));
    const before = whole[offset - 1];
    const bare = before === ':' || before === ',' || before === '[';
    return bare ? `"${masked}"` : masked;
  });
}
