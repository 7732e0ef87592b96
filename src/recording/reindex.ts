/**
 * Rebuilds the Redis index from the manifests in storage (the truth): after Redis lost its
 * data, or an index write failed while Redis was away. Reads every manifest once.
 */
import type { RecordingIndex } from './index-store.js';
import { parseManifest } from './manifest.js';
import type { RecordingStorage } from './ports/recording-storage.js';

export interface ReindexReport {
  indexed: number;
  /** Manifests that could not be read or parsed, by key (left out of the index, named here). */
  unreadable: string[];
}

export async function reindex(storage: RecordingStorage, index: RecordingIndex): Promise<ReindexReport> {
  await index.clear();
  const report: ReindexReport = { indexed: 0, unreadable: [] };
  for await (const key of storage.list('')) {
    try {
      const json = await storage.getManifest(key);
      if (json === null) continue;
      await index.record(parseManifest(json));
      report.indexed++;
    } catch {
      report.unreadable.push(key);
    }
  }
  return report;
}
