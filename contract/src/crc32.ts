// CRC-32 (IEEE 802.3, as zlib) of a byte string; our own because zlib.crc32 needs Node ≥ 20.15/22.2.

const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 of the char codes of an ASCII string (callers only pass base62 text), as an unsigned integer. */
export function crc32Ascii(s: string): number {
  let crc = 0xffffffff;
  for (let i = 0; i < s.length; i++) {
    crc = (TABLE[(crc ^ s.charCodeAt(i)) & 0xff] ?? 0) ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}
