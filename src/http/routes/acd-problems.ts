/**
 * The ACD's refusals as HTTP problems: the status its error names (400, 404, 409, 503) and
 * its constant code as `error_id` (`acd:agent-busy`, `acd:no-such-agent` …), so a desk can
 * act on the code rather than the message. Store outages stay 503 `store-unavailable`.
 */
import { AcdError } from '../../acd/index.js';
import { BadExtensionError, EndpointInUseError } from '../../acd/agent-desk.js';
import { HttpProblem } from '../errors.js';
import { storeCall } from '../store-call.js';

/** The ACD error codes the agent routes answer with, for the OpenAPI document. */
export const ACD_ROUTE_CODES =
  '404 `acd:no-such-agent`, `acd:not-on-roster`; 409 `acd:agent-offline`, `acd:agent-busy` (ringing or on a call), `acd:already-logged-in`, ' +
  '`acd:agent-not-in-wrap-up`, `acd:endpoint-in-use`; 400 `acd:unknown-reason`, `acd:unknown-skill`; 503 `acd:contention`.';

function problemOf(err: AcdError | EndpointInUseError | BadExtensionError): HttpProblem {
  return new HttpProblem({ status: err.status, errorId: err.code, message: err.message }, err.message);
}

/** A bounded store call whose ACD refusals become their problems. */
export async function acdCall<T>(task: () => Promise<T>): Promise<T> {
  try {
    return await storeCall(task);
  } catch (err) {
    if (err instanceof AcdError || err instanceof EndpointInUseError || err instanceof BadExtensionError) throw problemOf(err);
    throw err;
  }
}
