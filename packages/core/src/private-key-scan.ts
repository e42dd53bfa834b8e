import { detectPrivateKeyMaterial, hasPemPrivateKeyLabel, type PrivateKeyMaterial } from "./private-key";

/**
 * Walks a parsed JSON document for private key material in any string. The API runs it before schema
 * validation (a key is refused even inside an otherwise broken report), so it sees whatever a client
 * sent: it must be linear in the input and bounded. It walks with an explicit stack (a recursive walk
 * overflowed the call stack on a 50,000-deep body and answered 500), stops at `maxDepth`, and gives up
 * after `maxValues` values; strings are checked by detectPrivateKeyMaterial, linear and length-capped.
 */
export interface PrivateKeyScanOptions {
  /** Containers nested deeper than this are refused ("too-deep"). */
  maxDepth?: number;
  /** Values (strings, numbers, containers...) visited before the scan refuses the document ("too-large"). */
  maxValues?: number;
  /** Prefix of every field name, e.g. `reports[3]` for a batch item. */
  prefix?: string;
  /**
   * Field-specific decoding: answers the bytes a field holds when the field has its own encoding
   * (the API decodes `certificates[].der` as it will when storing it, PEM armour included). It must be
   * at least as lenient as plain base64: whenever both read the text, they give the same bytes. Its
   * bytes are then checked instead of the text's own base64 reading (one decode per field, not two).
   */
  decodeField?: (field: string, text: string) => Uint8Array | null;
}

export type PrivateKeyScanResult =
  | { kind: "private-key"; field: string; material: PrivateKeyMaterial }
  | { kind: "too-deep"; field: string }
  | { kind: "too-large"; field: string };

/** Deeper than any request certfleet takes (a report is 4 levels deep); agrees with the API's JSON parser. */
export const MAX_SCAN_DEPTH = 64;
/**
 * A full report (64 certificates with 32 chain statuses each, 1,000 events) is under 8,000 values; far
 * more means a body built to make the scan slow.
 */
export const MAX_SCAN_VALUES = 100_000;

interface Pending {
  value: unknown;
  field: string;
  depth: number;
}

const join = (parent: string, key: string) => (parent ? `${parent}.${key}` : key);

/** The first private key, or the first limit the document breaks; null when the document is clean. */
export function scanForPrivateKeyMaterial(
  document: unknown,
  options: PrivateKeyScanOptions = {},
): PrivateKeyScanResult | null {
  const maxDepth = options.maxDepth ?? MAX_SCAN_DEPTH;
  const maxValues = options.maxValues ?? MAX_SCAN_VALUES;
  const stack: Pending[] = [{ value: document, field: options.prefix ?? "", depth: 0 }];
  let visited = 0;
  for (let item = stack.pop(); item; item = stack.pop()) {
    const { value, field, depth } = item;
    const named = field || "(body)";
    if (++visited > maxValues) return { kind: "too-large", field: named };
    if (typeof value === "string") {
      const material = detectInField(value, field, options.decodeField);
      if (material) return { kind: "private-key", field: named, material };
      continue;
    }
    if (value === null || typeof value !== "object") continue;
    if (depth >= maxDepth) return { kind: "too-deep", field: named };
    const children = Array.isArray(value) ? value.length : Object.keys(value).length;
    if (visited + stack.length + children > maxValues) return { kind: "too-large", field: named };
    // Pushed in reverse so fields are visited in document order (the first key found is the one named).
    if (Array.isArray(value)) {
      for (let index = value.length - 1; index >= 0; index--)
        stack.push({ value: value[index], field: `${field}[${index}]`, depth: depth + 1 });
    } else {
      const keys = Object.keys(value);
      for (let k = keys.length - 1; k >= 0; k--) {
        const key = keys[k] as string;
        stack.push({
          value: (value as Record<string, unknown>)[key],
          field: join(field, key),
          depth: depth + 1,
        });
      }
    }
  }
  return null;
}

function detectInField(
  text: string,
  field: string,
  decodeField: PrivateKeyScanOptions["decodeField"],
): PrivateKeyMaterial | null {
  const bytes = decodeField?.(field, text) ?? null;
  if (!bytes) return detectPrivateKeyMaterial(text);
  // The plain base64 reading of this text is either these bytes or nothing (decodeField is the more
  // lenient reader), so checking the PEM label and these bytes covers everything the text can hold.
  if (hasPemPrivateKeyLabel(text)) return "pem-private-key";
  return detectPrivateKeyMaterial(bytes);
}
