/**
 * Every way the ticket bridge fails, named once, each with a constant code callers can
 * test for instead of parsing messages.
 */
export const CRM_BRIDGE_ERRORS = {
  missingSecret: 'crm-bridge:missing-secret',
  lookupTimeout: 'crm-bridge:lookup-timeout',
  circuitOpen: 'crm-bridge:circuit-open',
  lookupFailed: 'crm-bridge:lookup-failed',
  lookupNotConfigured: 'crm-bridge:lookup-not-configured',
  noSuchSink: 'crm-bridge:no-such-sink',
  noSuchDeadLetter: 'crm-bridge:no-such-dead-letter',
} as const;

export type CrmBridgeErrorCode = (typeof CRM_BRIDGE_ERRORS)[keyof typeof CRM_BRIDGE_ERRORS];

export class CrmBridgeError extends Error {
  override readonly name = 'CrmBridgeError';
  constructor(
    readonly code: CrmBridgeErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A look-up did not answer within its time budget; the caller is not held longer. */
export class LookupTimeoutError extends CrmBridgeError {
  constructor(what: string, timeoutMs: number) {
    super(CRM_BRIDGE_ERRORS.lookupTimeout, `${what}: no answer within ${timeoutMs} ms`);
  }
}

/** The backend failed too often lately; look-ups are refused at once until a trial succeeds. */
export class CircuitOpenError extends CrmBridgeError {
  constructor(what: string, retryInMs: number) {
    super(CRM_BRIDGE_ERRORS.circuitOpen, `${what}: ticket backend circuit is open (next trial in ${retryInMs} ms)`);
  }
}
