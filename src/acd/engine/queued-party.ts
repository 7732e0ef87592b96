/**
 * What the engine tells a party waiting in the ACD on this instance, whatever it is: a
 * caller on the line (WaitingCall) or a callback's reservation (CallbackCall). The offer
 * path is the same for both: the pick rings the agent into this instance's app.
 */
export interface QueuedParty {
  /** Still in the queue (not yet connected to an agent, not gone). */
  readonly isWaiting: boolean;
  /** The agent's phone rings for this party (first report of the offer leg). */
  offeredTo(agentId: string, channelId: string): void;
  /** The agent answered: the offer leg entered the app. */
  agentAnswered(channelId: string): Promise<void>;
  /** The offer leg ended unanswered. */
  offerFailed(channelId: string): Promise<void>;
  /** The agent's leg ended after it was answered. */
  agentLegEnded(channelId: string): Promise<void>;
}
