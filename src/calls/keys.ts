/**
 * The calls' Redis keys, named once.
 *   calls:live:<channelId>   one live call's record (JSON), with a TTL
 *   calls:live-index         sorted set of the channel ids stored as live, by last change
 *   calls:live-by-call:<callId>  the channel id of a live call's record, for look-ups by call id
 */
export interface CallKeys {
  record(channelId: string): string;
  index(): string;
  byCallId(callId: string): string;
}

export function callKeys(keyspace: (...parts: string[]) => string): CallKeys {
  return {
    record: (channelId) => keyspace('calls', 'live', channelId),
    index: () => keyspace('calls', 'live-index'),
    byCallId: (callId) => keyspace('calls', 'live-by-call', callId),
  };
}
