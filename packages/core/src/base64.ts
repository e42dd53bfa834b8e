/**
 * Base64 as files and JSON carry it, decoded in one pass over the text. Regular expressions with
 * whitespace runs on both sides of a line break (`[ \t]*\r?\n[ \t]*`) backtrack quadratically on a long
 * run of spaces between two letters: a 3 MB report field kept the API busy for minutes that way. This
 * reader looks at each character once, so its cost is linear in the input whatever the input is.
 */

/** 6-bit value of each base64 letter (standard and URL-safe alphabets); -1 for anything else. */
const LETTER_VALUES = (() => {
  const values = new Int8Array(128).fill(-1);
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (let i = 0; i < alphabet.length; i++) values[alphabet.charCodeAt(i)] = i;
  values["-".charCodeAt(0)] = 62;
  values["_".charCodeAt(0)] = 63;
  return values;
})();

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const PAD = 0x3d;

function isBlank(code: number): boolean {
  return code === SPACE || code === TAB || code === LF || code === CR;
}

/**
 * Decodes base64 that is one run, or lines wrapped with line breaks (LF or CRLF, with spaces or tabs
 * around them as editors leave them). Spaces inside a line mean prose, not base64, so they make the text
 * "not base64" (null); so do fewer than `minLength` base64 characters. Padding is optional.
 */
export function decodeWrappedBase64(text: string, minLength = 16): Uint8Array | null {
  let start = 0;
  let end = text.length;
  while (start < end && isBlank(text.charCodeAt(start))) start++;
  while (end > start && isBlank(text.charCodeAt(end - 1))) end--;

  const out = new Uint8Array(Math.floor(((end - start) * 3) / 4) + 3);
  let written = 0;
  let letters = 0;
  let padding = 0;
  let bits = 0;
  let bitCount = 0;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (isBlank(code)) {
      // One blank run, all of it consumed here: acceptable only if it holds a line break and every CR
      // in it is part of a CRLF.
      let sawLineBreak = false;
      for (; i < end && isBlank(text.charCodeAt(i)); i++) {
        const blank = text.charCodeAt(i);
        if (blank === LF) sawLineBreak = true;
        else if (blank === CR && text.charCodeAt(i + 1) !== LF) return null;
      }
      if (!sawLineBreak) return null;
      i--; // the loop's i++ moves onto the character after the run
      continue;
    }
    if (code === PAD) {
      if (++padding > 2) return null;
      continue;
    }
    const value = code < 128 ? (LETTER_VALUES[code] ?? -1) : -1;
    if (value < 0 || padding > 0) return null;
    letters++;
    bits = (bits << 6) | value;
    bitCount += 6;
    if (bitCount >= 8) {
      bitCount -= 8;
      out[written++] = (bits >> bitCount) & 0xff;
      bits &= (1 << bitCount) - 1;
    }
  }
  if (letters === 0 || letters + padding < minLength) return null;
  // A single letter left over (length ≡ 1 mod 4) cannot encode a byte: not base64.
  if (letters % 4 === 1) return null;
  return out.subarray(0, written);
}
