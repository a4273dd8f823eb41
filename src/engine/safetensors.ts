/**
 * The safetensors format: an 8-byte little-endian header length, a JSON header naming
 * each tensor's dtype, shape and byte range, then the raw little-endian data.
 */

export interface SafetensorsTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

export class SafetensorsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SafetensorsError';
  }
}

/** Encodes float32 tensors (in the given order) with optional string metadata. */
export function encodeSafetensors(tensors: SafetensorsTensor[], metadata: Record<string, string> = {}): Buffer {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const t of tensors) {
    const bytes = t.data.length * 4;
    header[t.name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  // The data section starts 8-byte aligned, as the reference writer pads it.
  json += ' '.repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8);
  const headerBytes = Buffer.from(json, 'utf8');
  const out = Buffer.alloc(8 + headerBytes.length + offset);
  out.writeBigUInt64LE(BigInt(headerBytes.length), 0);
  headerBytes.copy(out, 8);
  let at = 8 + headerBytes.length;
  for (const t of tensors) {
    const src = Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    src.copy(out, at);
    at += src.length;
  }
  return out;
}

interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

/** Decodes F32 (and BF16/F16, widened to float32) tensors; a truncated or foreign file throws `SafetensorsError`. */
export function decodeSafetensors(buf: Buffer): { tensors: Map<string, SafetensorsTensor>; metadata: Record<string, string> } {
  if (buf.length < 8) throw new SafetensorsError('file too short to be safetensors');
  const headerLen = Number(buf.readBigUInt64LE(0));
  if (headerLen > buf.length - 8 || headerLen > 100_000_000) throw new SafetensorsError('header length runs past the end of the file (truncated, or not safetensors)');
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(buf.subarray(8, 8 + headerLen).toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new SafetensorsError('header is not JSON (not a safetensors file)');
  }
  const dataStart = 8 + headerLen;
  const tensors = new Map<string, SafetensorsTensor>();
  let metadata: Record<string, string> = {};
  for (const [name, raw] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = (raw ?? {}) as Record<string, string>;
      continue;
    }
    const entry = raw as HeaderEntry;
    if (!entry || !Array.isArray(entry.shape) || !Array.isArray(entry.data_offsets)) throw new SafetensorsError(`tensor ${name}: malformed header entry`);
    const [start, end] = entry.data_offsets;
    if (end > buf.length - dataStart || start > end) throw new SafetensorsError(`tensor ${name}: data runs past the end of the file (truncated)`);
    const count = entry.shape.reduce((a, b) => a * b, 1);
    const bytes = buf.subarray(dataStart + start, dataStart + end);
    tensors.set(name, { name, shape: entry.shape, data: widen(bytes, entry.dtype, count, name) });
  }
  return { tensors, metadata };
}

function widen(bytes: Buffer, dtype: string, count: number, name: string): Float32Array {
  const width = dtype === 'F32' ? 4 : dtype === 'BF16' || dtype === 'F16' ? 2 : 0;
  if (width === 0) throw new SafetensorsError(`tensor ${name}: dtype ${dtype} is not supported (F32, BF16, F16 are)`);
  if (bytes.length !== count * width) throw new SafetensorsError(`tensor ${name}: ${bytes.length} bytes for ${count} ${dtype} values`);
  const out = new Float32Array(count);
  if (dtype === 'F32') {
    // Copy through a fresh buffer: the slice may not be 4-byte aligned.
    new Uint8Array(out.buffer).set(bytes);
    return out;
  }
  const u32 = new Uint32Array(out.buffer);
  for (let i = 0; i < count; i++) {
    const h = bytes.readUInt16LE(i * 2);
    u32[i] = dtype === 'BF16' ? h << 16 : halfToFloatBits(h);
  }
  return out;
}

function halfToFloatBits(h: number): number {
  const sign = (h & 0x8000) << 16;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) {
    if (frac === 0) return sign;
    // Subnormal half: renormalise.
    let e = -1;
    let f = frac;
    do {
      e++;
      f <<= 1;
    } while ((f & 0x400) === 0);
    return (sign | ((127 - 15 - e) << 23) | ((f & 0x3ff) << 13)) >>> 0;
  }
  if (exp === 0x1f) return (sign | 0x7f800000 | (frac << 13)) >>> 0;
  return (sign | ((exp - 15 + 127) << 23) | (frac << 13)) >>> 0;
}
