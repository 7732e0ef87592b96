/** A disposition the config does not know, or a note too long: shaped as the ACD's refusals (code and HTTP status). */
export class BadDispositionError extends Error {
  override readonly name = 'BadDispositionError';
  readonly status = 400;
  constructor(
    readonly code: 'acd:unknown-disposition' | 'acd:disposition-note-too-long',
    message: string,
  ) {
    super(message);
  }
}
