/**
 * Every way starting or stopping a supervision is refused: the ACD's own codes (src/acd/
 * errors.ts), named here as supervision speaks of them.
 */
import { ACD_ERRORS, AcdError, type AcdErrorName } from '../errors.js';

const NAMES = {
  agentNotOnCall: 'notOnCall',
  callNotTalking: 'callNotTalking',
  supervisorUnreachable: 'supervisorUnreachable',
  noSuchSupervision: 'noSuchSupervision',
  runsElsewhere: 'supervisionElsewhere',
  supervisionBusy: 'supervisionBusy',
  telephonyUnavailable: 'telephonyUnavailable',
} as const satisfies Record<string, AcdErrorName>;

export type SupervisionErrorName = keyof typeof NAMES;

export const SUPERVISION_ERRORS = Object.fromEntries(Object.entries(NAMES).map(([name, acd]) => [name, ACD_ERRORS[acd]])) as {
  [N in SupervisionErrorName]: (typeof ACD_ERRORS)[(typeof NAMES)[N]];
};
export type SupervisionErrorCode = (typeof SUPERVISION_ERRORS)[SupervisionErrorName]['code'];

export class SupervisionError extends AcdError {
  constructor(which: SupervisionErrorName, message: string) {
    super(NAMES[which], message);
  }
}
