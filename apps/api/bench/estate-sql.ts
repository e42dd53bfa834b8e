import type { ParsedCertificate } from "@certfleet/core";
import type pg from "pg";

/**
 * Bulk-loads an estate shaped like ingest's output, for read benchmarks only: 3 management
 * groups, 8 Management Servers, 6 Gateways, the rest Agents; expiry spread from 60 days ago to
 * 900 days ahead; status and findings derived from it (plus ~3% KSP errors and template-info
 * notices); ~2% silent hosts and ~1% listed but never reported. Deterministic (setseed).
 */
export async function loadEstateSql(
  client: pg.Client,
  hosts: number,
  template: ParsedCertificate,
  der: Buffer,
) {
  await client.query("SELECT setseed(0.42)");
  await client.query(`INSERT INTO "ManagementGroup"(name) VALUES ('MG-PROD'), ('MG-DEV'), ('MG-EU')`);
  await client.query(
    `CREATE TEMP TABLE gen AS
     SELECT i,
       CASE WHEN i <= 8 THEN 'ms' || lpad(i::text, 2, '0') || '.contoso.com'
            WHEN i <= 14 THEN 'gw' || lpad((i - 8)::text, 2, '0') || '.dmz.contoso.com'
            ELSE 'agent' || lpad(i::text, 6, '0') || '.corp.contoso.com' END AS fqdn,
       (CASE WHEN i <= 8 THEN 'ManagementServer' WHEN i <= 14 THEN 'Gateway' ELSE 'Agent' END)::"HostRole" AS role,
       1 + i % 3 AS mg,
       md5(i::text) || md5(i::text || 'x') AS sha,
       upper(left(md5(i::text || 'y'), 38)) AS serial,
       now() + ((random() * 960)::int - 60) * interval '1 day' AS not_after,
       random() AS r_state, random() AS r_ksp, random() AS r_tpl,
       now() - (random() * 40) * interval '1 hour' AS reported
     FROM generate_series(1, $1) AS i`,
    [hosts],
  );
  await client.query(`
    ALTER TABLE gen ADD COLUMN never boolean, ADD COLUMN last_report timestamp, ADD COLUMN status "HostStatus";
    UPDATE gen SET never = r_state < 0.01,
      last_report = CASE WHEN r_state < 0.01 THEN NULL
                         WHEN r_state < 0.03 THEN now() - (3 + r_state * 250) * interval '1 day'
                         ELSE reported END;
    UPDATE gen SET status = CASE WHEN never THEN NULL
      WHEN not_after < now() OR r_ksp < 0.03 THEN 'error'
      WHEN not_after < now() + interval '31 days' THEN 'warning' ELSE 'ok' END::"HostStatus";`);
  await client.query(
    `INSERT INTO "Certificate"(sha256, thumbprint, der, "serialNumber", subject, issuer, "notBefore", "notAfter", parsed)
     SELECT sha, upper(left(sha, 40)), $1, serial, 'CN=' || fqdn, $2, not_after - interval '730 days', not_after,
       $3::jsonb || jsonb_build_object('sha256', sha, 'thumbprint', upper(left(sha, 40)), 'serialNumber', serial,
         'subject', 'CN=' || fqdn, 'subjectCommonName', fqdn, 'notAfter', to_char(not_after, 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
     FROM gen WHERE NOT never`,
    [der, template.issuer, JSON.stringify(template)],
  );
  await client.query(`
    INSERT INTO "Host"(fqdn, role, "managementGroupId", "domainJoined", expected, status, "boundCertificateSha256",
                       "boundNotAfter", "lastReportAt", "lastReceivedAt", "updatedAt")
    SELECT fqdn, role, mg, role <> 'Gateway', never, status,
           CASE WHEN never THEN NULL ELSE sha END, CASE WHEN never THEN NULL ELSE not_after END,
           last_report, last_report, now()
    FROM gen ORDER BY i`);
  await client.query(`
    CREATE TEMP TABLE f AS
    SELECT h.id AS host_id, g.* FROM gen g JOIN "Host" h ON h.fqdn = g.fqdn WHERE NOT g.never;
    INSERT INTO "HostFinding"("hostId", "ruleId", severity, message, remediation)
    SELECT host_id, 'validity', 'error'::"Severity", 'the certificate expired on ' || to_char(not_after, 'YYYY-MM-DD'), 'Renew the certificate, then run MOMCertImport.' FROM f WHERE not_after < now()
    UNION ALL
    SELECT host_id, 'validity', 'warning'::"Severity", 'the certificate expires on ' || to_char(not_after, 'YYYY-MM-DD'), 'Renew the certificate, then run MOMCertImport.' FROM f WHERE not_after >= now() AND not_after < now() + interval '31 days'
    UNION ALL
    SELECT host_id, 'csp-not-ksp', 'error'::"Severity", 'the private key is held by "Microsoft Software Key Storage Provider"', 'Request a new certificate from a legacy CSP.' FROM f WHERE r_ksp < 0.03
    UNION ALL
    SELECT host_id, 'template-info', 'info'::"Severity", 'the certificate has no Enterprise CA template information', 'Issue from an Enterprise CA template.' FROM f WHERE role = 'Agent' AND r_tpl < 0.3;
    INSERT INTO "Report"("hostId", "collectedAt", "receivedAt", "registrySerial", "boundCertificateSha256", status, certificates, events, findings)
    SELECT host_id, last_report, last_report, serial, sha, status,
      jsonb_build_array(jsonb_build_object('sha256', sha, 'hasPrivateKey', true, 'keyProviderType', 'CSP', 'keySpec', 1)),
      jsonb_build_array(jsonb_build_object('id', 20053, 'time', to_char(last_report, 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))),
      '[]'::jsonb
    FROM f;
    INSERT INTO "HostCertificate"("hostId", "certificateSha256", "firstSeenAt", "lastSeenAt") SELECT host_id, sha, last_report, last_report FROM f;
    INSERT INTO "HostBinding"("hostId", "certificateSha256", "registrySerial", "firstSeenAt", "lastSeenAt") SELECT host_id, sha, serial, last_report, last_report FROM f;
    ANALYZE;`);
}
