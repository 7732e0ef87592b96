/**
 * The audio the simulator sends a softphone: a 440 Hz tone, G.711-encoded (µ-law or A-law,
 * ITU-T G.711's segment tables), one 20 ms frame (160 samples at 8 kHz) per packet. 440
 * cycles fit one second exactly, so 50 precomputed frames loop without a click.
 */
const RATE = 8000;
export const FRAME_SAMPLES = 160;
const TONE_HZ = 440;
const AMPLITUDE = 8000;

function linearToUlaw(sample: number): number {
  const BIAS = 0x84;
  const sign = sample < 0 ? 0x80 : 0;
  let s = Math.min(Math.abs(sample), 32635) + BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  s = ~(sign | (exponent << 4) | mantissa);
  return s & 0xff;
}

function linearToAlaw(sample: number): number {
  const sign = sample >= 0 ? 0x80 : 0;
  const s = Math.min(Math.abs(sample), 32767) >> 3;
  let byte: number;
  if (s < 32) byte = s >> 1;
  else {
    let exponent = 1;
    while (s >> (exponent + 4) > 1 && exponent < 7) exponent++;
    byte = (exponent << 4) | ((s >> exponent) & 0x0f);
  }
  return (byte | sign) ^ 0x55;
}

/** 50 frames (one second) of the tone in `codec` (`ulaw` or `alaw`). */
export function toneFrames(codec: 'ulaw' | 'alaw'): Buffer[] {
  const encode = codec === 'ulaw' ? linearToUlaw : linearToAlaw;
  const frames: Buffer[] = [];
  for (let f = 0; f < RATE / FRAME_SAMPLES; f++) {
    const frame = Buffer.alloc(FRAME_SAMPLES);
    for (let i = 0; i < FRAME_SAMPLES; i++) {
      const n = f * FRAME_SAMPLES + i;
      frame[i] = encode(Math.round(AMPLITUDE * Math.sin((2 * Math.PI * TONE_HZ * n) / RATE)));
    }
    frames.push(frame);
  }
  return frames;
}

function ulawToLinear(byte: number): number {
  const u = ~byte & 0xff;
  const exponent = (u >> 4) & 0x07;
  const magnitude = ((((u & 0x0f) << 3) + 0x84) << exponent) - 0x84;
  return u & 0x80 ? -magnitude : magnitude;
}

function alawToLinear(byte: number): number {
  const a = byte ^ 0x55;
  const exponent = (a >> 4) & 0x07;
  const mantissa = a & 0x0f;
  const magnitude = exponent === 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (exponent - 1);
  return a & 0x80 ? magnitude : -magnitude;
}

/** A frame's mean absolute sample (16-bit linear): near 0 for the silence a muted browser sends. */
export function meanAmplitude(payload: Uint8Array, codec: 'ulaw' | 'alaw'): number {
  if (payload.length === 0) return 0;
  const decode = codec === 'ulaw' ? ulawToLinear : alawToLinear;
  let sum = 0;
  for (const byte of payload) sum += Math.abs(decode(byte));
  return sum / payload.length;
}
