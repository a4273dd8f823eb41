/**
 * The GPT-2 byte↔character table that byte-level BPE vocabularies are written in: every
 * byte gets one printable character, so a token's bytes can be stored as a JSON string.
 * Printable Latin-1 bytes stand for themselves; the other 68 bytes (controls, space,
 * DEL, NBSP, soft hyphen) take the characters from U+0100 upward in byte order.
 */

function isPrintableLatin1(byte: number): boolean {
  return (byte >= 0x21 && byte <= 0x7e) || (byte >= 0xa1 && byte <= 0xac) || (byte >= 0xae && byte <= 0xff);
}

function buildByteToChar(): string[] {
  const table: string[] = new Array<string>(256);
  let next = 0x100;
  for (let byte = 0; byte < 256; byte++) {
    table[byte] = String.fromCharCode(isPrintableLatin1(byte) ? byte : next++);
  }
  return table;
}

/** `BYTE_TO_CHAR[b]` is the character byte `b` is written as in a byte-level vocabulary. */
export const BYTE_TO_CHAR: readonly string[] = buildByteToChar();

const charToByte = new Map<number, number>(BYTE_TO_CHAR.map((ch, byte) => [ch.charCodeAt(0), byte]));

/** The byte a vocabulary character stands for, or -1 when it is not one of the 256. */
export function byteOfChar(codeUnit: number): number {
  return charToByte.get(codeUnit) ?? -1;
}

/** Writes bytes as their vocabulary characters (`Ġ` for a space, `Ċ` for a newline …). */
export function bytesToVocabString(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += BYTE_TO_CHAR[byte]!;
  return out;
}

/**
 * The bytes a vocabulary string stands for. A string with a character outside the table
 * (an added token such as `<|im_start|>` is stored as plain text) is taken as its own
 * UTF-8, which is how 🤗's ByteLevel decoder treats it.
 */
export function vocabStringToBytes(token: string): Uint8Array {
  const out = new Uint8Array(token.length);
  for (let i = 0; i < token.length; i++) {
    const byte = byteOfChar(token.charCodeAt(i));
    if (byte < 0) return new TextEncoder().encode(token);
    out[i] = byte;
  }
  return out;
}
