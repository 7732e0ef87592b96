/**
 * The service's logger: pino, structured. Child loggers carry `callId` on every line of a call
 * and `part` naming the part of the service that wrote it.
 *
 * Phone numbers are masked twice over: by field name (pino redaction, for the fields that
 * hold one), and by content in the finished line (message text, error strings, nested
 * objects, a backend's response body), so a number never reaches the log whole whatever
 * field it hides in.
 */
import pino, { type Logger, type LoggerOptions } from 'pino';
import { maskNumber, maskPhoneNumbersInJson } from './mask.js';
import { mergeRepeatedParts } from './merge-parts.js';

/** Field names that hold a phone number, at the top level or one level down. */
const NUMBER_FIELDS = ['caller', 'callerNumber', 'number', 'phone', 'mobile', 'callee', 'from', 'to'];

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    base: { service: 'hotline-telephony' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: [...NUMBER_FIELDS, ...NUMBER_FIELDS.map((f) => `*.${f}`)],
      censor: (value) => maskNumber(value),
    },
    hooks: {
      streamWrite: (line) => maskPhoneNumbersInJson(mergeRepeatedParts(line)),
    },
  };
}

export function createLogger(level = 'info', destination?: pino.DestinationStream): Logger {
  return destination ? pino(loggerOptions(level), destination) : pino(loggerOptions(level));
}

export type { Logger };
