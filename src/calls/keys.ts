/**
 * The calls' Redis keys, named once.
 *   calls:live:<channelId>   one live call's record (JSON), with a TTL
 *   calls:live-index         sorted set of the channel ids stored as live, by last change
 */
export interface CallKeys {
  record(channelId: string): string;
  index(): string;
}

export function callKeys(keyspace: (...parts: string[]) => string): CallKeys {
  return {
    record: (channelId) => keyspace('calls', 'live', channelId),
    index: () => keyspace('calls', 'live-index'),
  };
}
