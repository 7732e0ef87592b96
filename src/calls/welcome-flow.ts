/**
 * The simplest flow: the caller hears the welcome prompt and the call is hung up. It is
 * what a line runs when the hotline config has no IVR menu for it.
 */
import type { CallFlow, FlowResult } from './ports/call-flow.js';

export function welcomeFlow(promptId: string): CallFlow {
  return {
    async run(call): Promise<FlowResult> {
      const end = await call.play(call.promptMedia(promptId), { bargeIn: false });
      if (end.reason === 'hangup') return { then: 'caller-gone' };
      call.recordStep({ node: 'welcome', input: null, outcome: end.reason });
      return { then: 'hangup', outcome: end.reason === 'finished' ? 'completed' : 'failed' };
    },
  };
}
