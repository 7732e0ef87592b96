/** The calls' own errors, each with a constant code. */

/**
 * Why a call's signal aborted when Asterisk no longer had its channel after a reconnect: it
 * hung up (or was dropped) while the service could not hear it, so it is gone, not handed on.
 */
export class ChannelLostError extends Error {
  override readonly name = 'ChannelLostError';
  readonly code = 'calls:channel-lost';
  constructor() {
    super('the channel was gone when the service was back in touch with Asterisk');
  }
}

/** Whether the call's signal aborted because its channel was found gone (see ChannelLostError). */
export function isChannelLost(signal: AbortSignal): boolean {
  return signal.aborted && signal.reason instanceof ChannelLostError;
}
export class UnknownPromptError extends Error {
  override readonly name = 'UnknownPromptError';
  readonly code = 'calls:unknown-prompt';
  constructor(promptId: string, language?: string) {
    super(language ? `prompt "${promptId}" has no sound for "${language}"` : `unknown prompt "${promptId}"`);
  }
}
