/**
 * The IVR's Redis keys, named once. Built on the service's `keyspace(prefix)` so one prefix
 * separates deployments and test runs.
 */
export type Keyspace = (...parts: string[]) => string;

export function ivrKeys(keyspace: Keyspace) {
  return {
    /** SET of normalised numbers managed through the API (the config's own list is not copied here). */
    priorityCallers: () => keyspace('ivr', 'priority-callers'),
    /** STRING (JSON restriction) with a TTL: the restriction ends by itself. */
    restriction: (number: string) => keyspace('ivr', 'restriction', number),
    /** Pattern for listing the active restrictions. */
    restrictionPattern: () => keyspace('ivr', 'restriction', '*'),
    /** ZSET of call start times (ms) of one number, trimmed to the rule's window. */
    recentCalls: (number: string) => keyspace('ivr', 'recent-calls', number),
    /** LIST (newest first, capped) of every restriction applied or lifted, with its reason. */
    restrictionLog: () => keyspace('ivr', 'restriction-log'),
  };
}

export type IvrKeys = ReturnType<typeof ivrKeys>;
