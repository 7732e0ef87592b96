/** Why a pause or resume of a call's recording was refused; each code has its HTTP status. */
export type CaptureErrorCode = 'recording:unknown-call' | 'recording:not-recording' | 'recording:already-paused' | 'recording:not-paused';

export const CAPTURE_ERROR_STATUS: Record<CaptureErrorCode, 404 | 409> = {
  'recording:unknown-call': 404,
  'recording:not-recording': 409,
  'recording:already-paused': 409,
  'recording:not-paused': 409,
};

export class CaptureError extends Error {
  override readonly name = 'CaptureError';
  constructor(readonly code: CaptureErrorCode, message: string) {
    super(message);
  }
}
