/** Wrap-up dispositions: the codes agents classify calls with, and one call.disposition per wrap-up. */
export { DispositionsSchema, DispositionSchema, DEFAULT_DISPOSITIONS, MAX_DISPOSITION_NOTE_LENGTH, type Disposition } from './config-schema.js';
export { BadDispositionError } from './errors.js';
export { createDispositionMetrics, type DispositionMetrics } from './metrics.js';
export { WrapUpDispositions, dispositionEvent, dispositionEventId, type DispositionChoice, type RecordedDisposition } from './wrap-up-dispositions.js';
