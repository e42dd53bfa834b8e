import { HOST_EXPORT_FORMATS, type HostExportFormat, MAX_BATCH_REPORTS } from "@certfleet/contracts";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import type { ApiTarget } from "./api-client";
import { CliError, EXIT, EXIT_CODES_HELP, type ExitCode } from "./exit-codes";
import { exportHosts } from "./export-hosts";
import { importInventory } from "./import-inventory";
import { submitReports } from "./submit";

interface ConnectionOptions {
  url?: string;
  token?: string;
  retries: number;
}

/** Runs one command line (process.argv form) and answers its exit code; never calls process.exit. */
export async function run(argv: string[]): Promise<ExitCode> {
  let exitCode: ExitCode = EXIT.ok;
  const program = buildProgram((code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through here too, with exit code 0.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof CliError) {
      process.stderr.write(`certfleet: ${error.message}\n`);
      return error.exitCode;
    }
    process.stderr.write(`certfleet: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
    return EXIT.failed;
  }
  return exitCode;
}

function buildProgram(setExitCode: (code: ExitCode) => void): Command {
  const program = new Command("certfleet")
    .description("Send collector reports and SCOM inventory to certfleet, and export its host list.")
    .version("0.1.0")
    .exitOverride()
    .showHelpAfterError("(add --help for usage)")
    .addHelpText("after", EXIT_CODES_HELP);

  withConnection(
    program
      .command("submit")
      .description(
        "Post report files written by the collector's -OutFile (a folder: every *.json in it, at any depth) " +
          "through POST /api/v1/reports/batch. Needs a token with the reports scope.",
      )
      .argument("<paths...>", "report files or folders")
      .addOption(
        new Option("--batch-size <n>", `reports per request (1-${MAX_BATCH_REPORTS})`)
          .default(MAX_BATCH_REPORTS)
          .argParser(integerIn(1, MAX_BATCH_REPORTS)),
      )
      .option("-v, --verbose", "also list each accepted file", false),
  ).action(async (paths: string[], options: ConnectionOptions & { batchSize: number; verbose: boolean }) => {
    setExitCode(
      await submitReports(target(options), paths, {
        baseDir: baseDir(),
        batchSize: options.batchSize,
        verbose: options.verbose,
        out: stdoutLine,
      }),
    );
  });

  withConnection(
    program
      .command("import-inventory")
      .description(
        "Import SCOM inventory CSVs (Get-SCOMAgent, Get-SCOMManagementServer, Get-SCOMGatewayManagementServer " +
          "exports, or fqdn,role,managementGroup) as a snapshot per management group: hosts of a named group " +
          "missing from the files are retired. Needs a token with the inventory scope.",
      )
      .argument("<csv...>", "CSV files (at most 20, each at most 8 MiB)")
      .option("--dry-run", "show what the import would change; write nothing", false),
  ).action(async (csv: string[], options: ConnectionOptions & { dryRun: boolean }) => {
    setExitCode(
      await importInventory(target(options), csv, {
        baseDir: baseDir(),
        dryRun: options.dryRun,
        out: stdoutLine,
      }),
    );
  });

  const exportCommand = program.command("export").description("Export data from certfleet");
  withConnection(
    exportCommand
      .command("hosts")
      .description(
        "Stream the host list (the web app's filters) to a CSV or XLSX file. Needs a token with the read scope.",
      )
      .addOption(
        new Option("--format <format>", "file format").choices([...HOST_EXPORT_FORMATS]).default("csv"),
      )
      .requiredOption("-o, --out <file>", "file to write (replaced when the download completes)")
      .option("--status <list>", "comma-separated host statuses: ok,warning,error")
      .option("--role <list>", "comma-separated roles: ManagementServer,Gateway,Agent")
      .option("--group <name>", "management group name")
      .option("--reporting <list>", "comma-separated reporting states: reporting,silent,never")
      .option("--expiry <list>", "comma-separated expiry buckets: expired,d7,d30,d60,d90,later,none")
      .option("--retired", "only hosts an inventory import retired (by default they are left out)", false),
  ).action(
    async (
      options: ConnectionOptions & {
        format: HostExportFormat;
        out: string;
        status?: string;
        role?: string;
        group?: string;
        reporting?: string;
        expiry?: string;
        retired: boolean;
      },
    ) => {
      setExitCode(
        await exportHosts(target(options), {
          format: options.format,
          filter: {
            status: options.status,
            role: options.role,
            managementGroup: options.group,
            reporting: options.reporting,
            expiry: options.expiry,
            retired: options.retired ? "true" : undefined,
          },
          out: options.out,
          baseDir: baseDir(),
          log: stderrLine,
        }),
      );
    },
  );
  return program;
}

/** --url, --token (or CERTFLEET_URL, CERTFLEET_TOKEN) and --retries, on every command that calls the API. */
function withConnection(command: Command): Command {
  return command
    .addOption(new Option("--url <url>", "certfleet API base URL").env("CERTFLEET_URL"))
    .addOption(new Option("--token <token>", "collector token").env("CERTFLEET_TOKEN"))
    .addOption(
      new Option("--retries <n>", "retries of a 429/503 answer, after its Retry-After")
        .default(3)
        .argParser(integerIn(0, 10)),
    )
    .addHelpText("after", EXIT_CODES_HELP);
}

function target(options: ConnectionOptions): ApiTarget {
  if (!options.url)
    throw new CliError("missing --url (or the CERTFLEET_URL environment variable)", EXIT.usage);
  if (!options.token)
    throw new CliError("missing --token (or the CERTFLEET_TOKEN environment variable)", EXIT.usage);
  return { url: options.url, token: options.token, retries: options.retries, log: stderrLine };
}

function integerIn(min: number, max: number) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min || parsed > max)
      throw new InvalidArgumentError(`must be a whole number from ${min} to ${max}`);
    return parsed;
  };
}

/**
 * Where relative paths start: `pnpm certfleet` runs the root script in the repository root, so the
 * folder the user typed the command in is pnpm's INIT_CWD; run directly, it is the working directory.
 */
function baseDir(): string {
  return process.env.npm_lifecycle_event === "certfleet" && process.env.INIT_CWD
    ? process.env.INIT_CWD
    : process.cwd();
}

function stdoutLine(line: string): void {
  process.stdout.write(`${line}\n`);
}

function stderrLine(line: string): void {
  process.stderr.write(`${line}\n`);
}
