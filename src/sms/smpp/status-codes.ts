/**
 * What an SMPP command_status means for a text: worth trying again later, or never. The
 * transient ones are the SMSC's own trouble (throttled, queue full, system error, the
 * application's temporary error); the rest — a bad destination, source, length, class —
 * would fail the same way every time.
 */
import smpp from 'smpp';
import type { SmsFailure } from '../ports/sms-gateway.js';

const names = new Map<number, string>(Object.entries(smpp.errors).map(([name, code]) => [code, name]));

const TRANSIENT = new Set<number>([smpp.ESME_RTHROTTLED, smpp.ESME_RMSGQFUL, smpp.ESME_RSYSERR, smpp.ESME_RX_T_APPN, 0x00000045 /* ESME_RSUBMITFAIL */]);

export function statusName(status: number): string {
  return names.get(status) ?? `0x${status.toString(16).padStart(8, '0')}`;
}

export function failureOf(status: number): SmsFailure {
  const code = statusName(status);
  if (status === smpp.ESME_RTHROTTLED) return { kind: 'transient', code, detail: 'the SMSC throttled the submit', throttled: true };
  if (TRANSIENT.has(status)) return { kind: 'transient', code, detail: 'the SMSC could not take the text now' };
  return { kind: 'permanent', code, detail: 'the SMSC refused the text' };
}
