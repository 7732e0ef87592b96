/**
 * Where a survey call goes when the citizen asks for more than a rating: the emergency key
 * (the emergency linkage, depending on nothing but Asterisk) and the agent key (an ACD
 * queue). Each takes the survey call as any call and returns the flow's result.
 */
import type { CallContext, FlowResult } from '../../calls/index.js';

export interface SurveyHandoff {
  emergency?: { key: string; transfer(call: CallContext): Promise<FlowResult> };
  agent?: { key: string; connect(call: CallContext): Promise<FlowResult> };
}
