/** An error finding on a host's newest report. */
export interface ErrorFinding {
  hostFqdn: string;
  role: string;
  /** The bound certificate (null: nothing bound, which is itself an error). */
  certificateSha256: string | null;
  ruleId: string;
  message: string;
}

/** Identity of a "new error" notification: the same rule on the same certificate of the same host. */
export function newErrorKey(
  finding: Pick<ErrorFinding, "hostFqdn" | "certificateSha256" | "ruleId">,
): string {
  return `${finding.hostFqdn}\u0000${finding.certificateSha256 ?? ""}\u0000${finding.ruleId}`;
}

/**
 * Error findings this channel has not been told about: a rule that starts failing on a certificate is
 * news once; it stays quiet while it keeps failing, and speaks again for a new certificate.
 */
export function newErrorFindings(
  findings: readonly ErrorFinding[],
  notified: ReadonlySet<string>,
): ErrorFinding[] {
  const seen = new Set(notified);
  const fresh: ErrorFinding[] = [];
  for (const finding of findings) {
    const key = newErrorKey(finding);
    if (seen.has(key)) continue;
    seen.add(key);
    fresh.push(finding);
  }
  return fresh;
}
