/** Exit codes of every command (documented in --help and docs/cli.md); scripts branch on them. */
export const EXIT = {
  /** Everything was sent and accepted (or written). */
  ok: 0,
  /** The API refused some of the content (a report, a CSV row, a filter value) or a file could not be read. */
  rejected: 1,
  /** Wrong arguments: an unknown option, a missing --url/--token, a file over the size limits. */
  usage: 2,
  /** The API refused the token: 401 (unknown or revoked) or 403 (missing scope or role). */
  auth: 3,
  /** The API could not be reached, kept answering busy, failed (5xx) or answered something unexpected. */
  failed: 4,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export const EXIT_CODES_HELP = `
Exit codes:
  0  done: everything accepted (or written)
  1  the API rejected something (a report, a CSV row, a filter) or a file could not be read
  2  usage: bad arguments, missing --url/--token, a file over the size limits
  3  the token was refused: 401 unknown/revoked, 403 missing scope
  4  the API could not be reached, stayed busy, failed or answered unexpectedly`;

/** A failure that ends the command with one line on stderr and its exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = "CliError";
  }
}
