/** The app lease's Redis keys, named once: one lease and one standby list per Stasis app name. */
export interface AppLeaseKeys {
  /** The holder's token, with the lease's expiry. */
  lease: string;
  /** Standing-by instances: token → until (Redis clock, ms). */
  standbys: string;
}

export function appLeaseKeys(keyPrefix: string, app: string): AppLeaseKeys {
  const base = `${keyPrefix}ari:app-lease:${app}`;
  return { lease: base, standbys: `${base}:standbys` };
}
