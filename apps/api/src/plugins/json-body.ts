import { MAX_SCAN_DEPTH } from "@certfleet/core";
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { ProblemError } from "../problem";

/**
 * No request certfleet takes nests deeper than a few levels; 64 leaves room for any future contract and
 * is the depth the private-key scan walks to.
 */
export const MAX_JSON_DEPTH = MAX_SCAN_DEPTH;

const OPEN_OBJECT = 0x7b; // {
const OPEN_ARRAY = 0x5b; // [
const CLOSE_OBJECT = 0x7d; // }
const CLOSE_ARRAY = 0x5d; // ]
const QUOTE = 0x22; // "
const BACKSLASH = 0x5c; // \

/**
 * Offset of the first bracket that opens container number `maxDepth + 1` of a nesting, or -1. One pass
 * over the text: string contents are skipped with indexOf (native, and most of a report is strings), the
 * rest is read character by character, so the cost is linear whatever the body is. It runs before
 * JSON.parse so a 50,000-deep body is refused with a 400 in microseconds instead of being parsed and
 * then walked by code that recurses.
 */
export function findExcessiveNesting(text: string, maxDepth = MAX_JSON_DEPTH): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) {
      i = closingQuote(text, i + 1);
      if (i < 0) return -1; // unterminated string: JSON.parse will say so
    } else if (code === OPEN_OBJECT || code === OPEN_ARRAY) {
      if (++depth > maxDepth) return i;
    } else if (code === CLOSE_OBJECT || code === CLOSE_ARRAY) {
      depth--;
    }
  }
  return -1;
}

/**
 * Offset of the quote that ends the string whose content starts at `from`, or -1. A quote preceded by an
 * odd number of backslashes is escaped; counting them looks back only as far as the previous quote, so the
 * whole search stays linear.
 */
function closingQuote(text: string, from: number): number {
  for (let quote = text.indexOf('"', from); quote >= 0; quote = text.indexOf('"', quote + 1)) {
    let backslashes = 0;
    while (quote - backslashes - 1 >= from && text.charCodeAt(quote - backslashes - 1) === BACKSLASH)
      backslashes++;
    if (backslashes % 2 === 0) return quote;
  }
  return -1;
}

/**
 * application/json bodies: Fastify's own parser (secure-json-parse, refusing `__proto__` and
 * `constructor.prototype` keys as before) behind a linear nesting check. Bodies too deep, and anything
 * JSON.parse cannot handle, are a 400 problem, never a 500.
 */
export default fp(
  async function jsonBodyPlugin(app: FastifyInstance) {
    const parseJson = app.getDefaultJsonParser("error", "error");
    app.removeContentTypeParser("application/json");
    app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
      const text = body as string;
      const at = findExcessiveNesting(text);
      if (at >= 0) {
        const detail = `The body nests objects or arrays more than ${MAX_JSON_DEPTH} levels deep (at character ${at}).`;
        done(
          new ProblemError(400, "JSON nested too deeply", detail, [
            { field: "(body)", message: `nests more than ${MAX_JSON_DEPTH} levels deep` },
          ]),
          undefined,
        );
        return;
      }
      parseJson(request, text, done);
    });
  },
  { name: "json-body" },
);
