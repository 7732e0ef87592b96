/**
 * A text as SMPP short messages: GSM-safe texts in the default alphabet (data_coding 0, 160
 * characters, 153 per part), anything else — Chinese — in UCS-2 (data_coding 8, 70
 * characters, 67 per part). A long text becomes parts carrying a UDH concatenation header
 * (esm_class 0x40; IEI 0x00, 8-bit reference, part count, part number) that the handset
 * puts back together. Pure.
 */
export const DATA_CODING_DEFAULT = 0x00;
export const DATA_CODING_UCS2 = 0x08;
export const ESM_CLASS_UDHI = 0x40;

/** Characters that are the same bytes in ASCII and the GSM 03.38 default alphabet. */
const GSM_SAFE = /^[A-Za-z0-9 .,:;!?'()+\-/\r\n]*$/;

export interface SmppPart {
  dataCoding: number;
  esmClass: number;
  /** UDH (when any) followed by the encoded characters. */
  shortMessage: Buffer;
}

export function encodeText(text: string, reference: number): SmppPart[] {
  const gsm = GSM_SAFE.test(text);
  const chars = Array.from(text);
  const single = gsm ? 160 : 70;
  const perPart = gsm ? 153 : 67;
  const encode = (s: string) => (gsm ? Buffer.from(s, 'ascii') : ucs2(s));
  const dataCoding = gsm ? DATA_CODING_DEFAULT : DATA_CODING_UCS2;
  if (utf16Length(chars) <= single) return [{ dataCoding, esmClass: 0, shortMessage: encode(text) }];
  const parts = splitParts(chars, perPart);
  if (parts.length > 255) throw new RangeError(`a text of ${chars.length} characters needs more than 255 parts`);
  return parts.map((part, i) => ({
    dataCoding,
    esmClass: ESM_CLASS_UDHI,
    shortMessage: Buffer.concat([Buffer.from([0x05, 0x00, 0x03, reference & 0xff, parts.length, i + 1]), encode(part)]),
  }));
}

function ucs2(s: string): Buffer {
  const le = Buffer.from(s, 'utf16le');
  return le.swap16();
}

function utf16Length(chars: string[]): number {
  return chars.reduce((n, c) => n + c.length, 0);
}

/** Parts of at most `perPart` UTF-16 units, never cutting a surrogate pair in two. */
function splitParts(chars: string[], perPart: number): string[] {
  const parts: string[] = [];
  let current = '';
  for (const c of chars) {
    if (current.length + c.length > perPart) {
      parts.push(current);
      current = '';
    }
    current += c;
  }
  if (current) parts.push(current);
  return parts;
}

/** A received short message as the smpp package decodes it: its text, and its UDH elements when it has any. */
export interface DecodedShortMessage {
  message: string | Buffer;
  udh?: Buffer[];
}

/** The concatenation header of a part (8-bit reference, IEI 0x00), or null for a whole text. */
export function concatOf(udh: Buffer[] | undefined): { ref: number; total: number; seq: number } | null {
  const ie = udh?.find((e) => e[0] === 0x00 && e[1] === 0x03);
  return ie ? { ref: ie[2]!, total: ie[3]!, seq: ie[4]! } : null;
}

/** The text of a short message field (or message_payload), whatever shape the package gave it. */
export function textOf(field: unknown): string {
  if (typeof field === 'string') return field;
  if (Buffer.isBuffer(field)) return field.toString('latin1');
  if (field && typeof field === 'object' && 'message' in field) return textOf((field as DecodedShortMessage).message);
  return '';
}
