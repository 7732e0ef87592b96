/**
 * Masks a phone number for logs: confidentiality rules forbid full caller numbers outside
 * the access-controlled record. Keeps enough to tell calls apart when reading a log.
 *   13812345678 → 138******78    12345 → 12345 (service numbers of 5 digits or fewer stay)
 */
export function maskNumber(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const digits = value.replace(/\D/g, '');
  if (digits.length <= 5) return value;
  return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 5)}${digits.slice(-2)}`;
}
