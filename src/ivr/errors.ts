/** The IVR's own errors, each with a constant code. */
export class IvrMenuMissingError extends Error {
  override readonly name = 'IvrMenuMissingError';
  readonly code = 'ivr:no-menu';
  constructor() {
    super('the hotline config has no ivr section');
  }
}
