import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";

/** A file named on the command line, or found in a folder named there. */
export interface ReportFile {
  /** As shown to the user: relative to where the command ran when it is inside it. */
  shown: string;
  absolute: string;
}

/** A file that was not sent, and why. */
export interface UnreadableFile {
  shown: string;
  reason: string;
}

/**
 * The report files the arguments name: a file as is (any extension), a folder's *.json files at any
 * depth, sorted so the order (and so the batches) are the same on every run.
 */
export async function findReportFiles(
  args: string[],
  baseDir: string,
): Promise<{ files: ReportFile[]; missing: UnreadableFile[] }> {
  const files: ReportFile[] = [];
  const missing: UnreadableFile[] = [];
  const seen = new Set<string>();
  const add = (absolute: string) => {
    if (seen.has(absolute)) return;
    seen.add(absolute);
    files.push({ absolute, shown: shownPath(absolute, baseDir) });
  };
  for (const arg of args) {
    const absolute = path.resolve(baseDir, arg);
    const info = await stat(absolute).catch((error: NodeJS.ErrnoException) => error);
    if (info instanceof Error) {
      missing.push({ shown: arg, reason: info.code === "ENOENT" ? "no such file or folder" : info.message });
    } else if (info.isDirectory()) {
      const found = await jsonFilesUnder(absolute);
      if (found.length === 0) missing.push({ shown: arg, reason: "folder holds no .json file" });
      for (const file of found) add(file);
    } else {
      add(absolute);
    }
  }
  return { files, missing };
}

async function jsonFilesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.toLowerCase().endsWith(".json"))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

function shownPath(absolute: string, baseDir: string): string {
  const relative = path.relative(baseDir, absolute);
  return relative.startsWith("..") || path.isAbsolute(relative) ? absolute : relative;
}

/**
 * One report file as the compact JSON text to send, or why it cannot be sent. The collector writes
 * UTF-8 without a byte order mark; one written by hand in Windows PowerShell 5.1 has one, so it is dropped.
 */
export async function readReportFile(file: ReportFile): Promise<{ json: string } | { reason: string }> {
  let text: string;
  try {
    text = await readFile(file.absolute, "utf8");
  } catch (error) {
    return { reason: `cannot read: ${(error as Error).message}` };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    return { reason: `not valid JSON: ${(error as Error).message}` };
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    return { reason: "not a report: the file must hold one JSON object (as -OutFile writes it)" };
  return { json: JSON.stringify(parsed) };
}
