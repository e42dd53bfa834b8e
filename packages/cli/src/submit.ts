import { Buffer } from "node:buffer";
import { type BatchResult, type Problem, REPORT_BATCH_BODY_LIMIT } from "@certfleet/contracts";
import { type ApiTarget, callApi, describeProblem, readProblem } from "./api-client";
import { CliError, EXIT, type ExitCode } from "./exit-codes";
import { createProgress, plural } from "./progress";
import { findReportFiles, type ReportFile, readReportFile, type UnreadableFile } from "./report-files";

/** Room left under the API's body limit for the envelope and a miscount. */
const BODY_BUDGET = REPORT_BATCH_BODY_LIMIT - 64 * 1024;
const ENVELOPE = { open: '{"reports":[', close: "]}" };

export interface SubmitOptions {
  baseDir: string;
  /** Reports per request, at most the API's 1,000. */
  batchSize: number;
  verbose: boolean;
  out: (line: string) => void;
}

interface Rejection {
  file: string;
  problem: Problem;
}

interface PendingBatch {
  files: ReportFile[];
  json: string[];
  bytes: number;
}

/** `certfleet submit`: every report file, posted in batches; answers the exit code. */
export async function submitReports(
  target: ApiTarget,
  args: string[],
  options: SubmitOptions,
): Promise<ExitCode> {
  const { files, missing } = await findReportFiles(args, options.baseDir);
  const unreadable: UnreadableFile[] = [...missing];
  const rejections: Rejection[] = [];
  let accepted = 0;
  let done = 0;
  const progress = createProgress({
    label: "submitting",
    total: files.length,
    format: (value) => `${value}/${files.length} files`,
  });

  const send = async (batch: PendingBatch) => {
    const outcome = await postBatch(target, batch);
    for (const [index, file] of batch.files.entries()) {
      const item = outcome.results?.[index];
      if (item && item.status < 300) {
        accepted++;
        if (options.verbose)
          options.out(`accepted  ${file.shown} (host status ${item.result?.host.status ?? "unknown"})`);
      } else {
        rejections.push({
          file: file.shown,
          problem: item?.problem ?? outcome.batchProblem ?? unknownProblem(),
        });
      }
    }
    done += batch.files.length;
    progress.update(done);
  };

  let batch: PendingBatch = { files: [], json: [], bytes: 0 };
  try {
    for (const file of files) {
      const read = await readReportFile(file);
      if ("reason" in read) {
        unreadable.push({ shown: file.shown, reason: read.reason });
        progress.update(++done);
        continue;
      }
      const bytes = Buffer.byteLength(read.json) + 1;
      if (bytes + ENVELOPE.open.length + ENVELOPE.close.length > BODY_BUDGET) {
        unreadable.push({
          shown: file.shown,
          reason: "too large: over the API's 16 MiB body limit on its own",
        });
        progress.update(++done);
        continue;
      }
      if (batch.files.length >= options.batchSize || batch.bytes + bytes > BODY_BUDGET) {
        await send(batch);
        batch = { files: [], json: [], bytes: 0 };
      }
      batch.files.push(file);
      batch.json.push(read.json);
      batch.bytes += bytes;
    }
    if (batch.files.length > 0) await send(batch);
  } catch (error) {
    // A refused token or an API gone away ends the run: say what the batches before it achieved.
    progress.stop();
    printOutcome(options.out, { accepted, rejections, unreadable });
    options.out(`stopped: ${files.length - done} of ${plural(files.length, "file")} not submitted`);
    throw error;
  } finally {
    progress.stop();
  }

  printOutcome(options.out, { accepted, rejections, unreadable });
  return rejections.length > 0 || unreadable.length > 0 ? EXIT.rejected : EXIT.ok;
}

async function postBatch(
  target: ApiTarget,
  batch: PendingBatch,
): Promise<{ results?: BatchResult["results"]; batchProblem?: Problem }> {
  const response = await callApi(target, {
    method: "POST",
    path: "/api/v1/reports/batch",
    body: `${ENVELOPE.open}${batch.json.join(",")}${ENVELOPE.close}`,
    scope: "reports",
  });
  if (response.status === 200) {
    const body = (await response.json()) as BatchResult;
    if (!Array.isArray(body.results) || body.results.length !== batch.files.length)
      throw new CliError("the API answered the batch with a result count that does not match", EXIT.failed);
    return { results: body.results };
  }
  // The whole batch was refused (413, 400, …): every report in it gets that reason.
  return { batchProblem: await readProblem(response) };
}

function printOutcome(
  out: (line: string) => void,
  outcome: { accepted: number; rejections: Rejection[]; unreadable: UnreadableFile[] },
): void {
  for (const { file, problem } of outcome.rejections) {
    // With field errors the detail only repeats the first one, and names it inside the batch.
    const said = problem.errors?.length ? `${problem.status} ${problem.title}` : describeProblem(problem);
    out(`rejected  ${file}: ${said}`);
    for (const error of problem.errors ?? []) out(`          ${withinReport(error.field)}: ${error.message}`);
  }
  for (const file of outcome.unreadable) out(`not sent  ${file.shown}: ${file.reason}`);
  const parts = [`${plural(outcome.accepted, "report")} accepted`, `${outcome.rejections.length} rejected`];
  if (outcome.unreadable.length > 0) parts.push(`${plural(outcome.unreadable.length, "file")} not sent`);
  out(parts.join(", "));
}

/** `reports[3].certificates[0].der` → `certificates[0].der`: the field inside that file. */
export function withinReport(field: string): string {
  return field.replace(/^reports\[\d+\]\.?/, "") || "(the report)";
}

function unknownProblem(): Problem {
  return { type: "about:blank", status: 0, title: "no result for this report in the API's answer" };
}
