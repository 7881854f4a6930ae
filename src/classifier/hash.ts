/**
 * 32-bit FNV-1a over UTF-16 code units. Hand-written because it is five lines and must be
 * bit-identical between training and serving (a library hash could change between versions).
 */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
