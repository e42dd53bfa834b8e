import { DAY_MS, daysUntil, formatDay, isExpired } from "../expiry";
import { type CertificateRule, finding, plural } from "./context";

/**
 * validity (seed "Renew a Certificate"): error when expired or not yet valid; warning within the
 * configured warning window. Days are whole days rounded down from collectedAt, so a certificate with
 * exactly expiryWarningDays left is inside the window.
 */
export const validityRule: CertificateRule = ({ certificate, now, input }) => {
  const { notBefore, notAfter } = certificate;
  if (isExpired(notAfter, now)) {
    const ago = Math.floor((now.getTime() - Date.parse(notAfter)) / DAY_MS);
    return [
      finding(
        "validity",
        "error",
        `the certificate expired on ${formatDay(notAfter)} (${ago === 0 ? "less than a day" : plural(ago, "day")} before this report); SCOM can no longer authenticate with it`,
      ),
    ];
  }
  if (Date.parse(notBefore) > now.getTime()) {
    return [
      finding(
        "validity",
        "error",
        `the certificate is not valid until ${formatDay(notBefore)}; SCOM cannot use it before then`,
        "Check the host's clock and the CA's; wait until the certificate becomes valid or re-issue it with a correct notBefore.",
      ),
    ];
  }
  const days = daysUntil(notAfter, now);
  if (days > input.settings.expiryWarningDays) return [];
  return [
    finding(
      "validity",
      "warning",
      `the certificate expires on ${formatDay(notAfter)}, in ${plural(days, "day")} (warning window ${input.settings.expiryWarningDays} days)`,
    ),
  ];
};
