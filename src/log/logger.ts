/**
 * The service's logger: pino, structured, with phone numbers masked wherever they appear
 * under the field names the code uses for them. Child loggers carry `callId` on every line.
 */
import pino, { type Logger, type LoggerOptions } from 'pino';
import { maskNumber } from './mask.js';

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
  };
}

export function createLogger(level = 'info', destination?: pino.DestinationStream): Logger {
  return destination ? pino(loggerOptions(level), destination) : pino(loggerOptions(level));
}

export type { Logger };
