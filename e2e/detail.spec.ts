import type { CertificateDetail, HostDetail, RuleCatalog } from "@certfleet/contracts";
import { expect, test } from "@playwright/test";
import { WEB_URL } from "./support/env";
import { ensureEstate, fqdnOf } from "./support/estate";
import { apiGet, attachScreenshot, settled, shown } from "./support/ui";

test.beforeAll(async () => {
  await ensureEstate(WEB_URL);
});

/** Byte-reverses a hex string: what MOMCertImport does to the serial. */
const mirrored = (hex: string) => (hex.match(/../g) ?? []).reverse().join("");
const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

test.describe("host detail", () => {
  test("shows each finding with its fix, and the serial both ways", async ({ page, request }, testInfo) => {
    const fqdn = fqdnOf("agent08"); // renewed but not re-imported: a warning with a remediation
    const detail = await apiGet<HostDetail>(request, `/api/v1/hosts/${fqdn}`);
    expect(detail.findings.length).toBeGreaterThan(0);

    await page.goto("/hosts");
    await page
      .locator(`[data-testid="host-row"][data-host="${fqdn}"]`)
      .getByRole("link", { name: fqdn })
      .click();
    await expect(page).toHaveURL(`/hosts/${fqdn}`);
    await settled(page);
    await expect(page.getByRole("heading", { level: 2 })).toContainText(fqdn);
    await expect(page.getByTestId("host-detail").locator("[data-status]").first()).toHaveAttribute(
      "data-status",
      detail.host.status ?? "never",
    );

    const findings = page.getByTestId("findings");
    for (const finding of detail.findings) {
      const item = findings.locator(
        `[data-severity="${finding.severity}"] li[data-rule="${finding.ruleId}"]`,
      );
      await expect(item).toContainText(sentence(finding.message));
      await expect(item).toContainText(finding.remediation);
    }

    const { serialAsStored, serialAsCertificate } = detail.registry;
    if (!serialAsStored || !serialAsCertificate) throw new Error("agent08 has a registry serial");
    await expect(page.getByTestId("serial-stored")).toHaveText(serialAsStored);
    await expect(page.getByTestId("serial-certificate")).toHaveText(serialAsCertificate);
    expect(mirrored(serialAsStored)).toBe(serialAsCertificate);
    await expect(page.getByTestId("registry-serial")).toContainText(
      "MOMCertImport stores the serial byte-reversed",
    );
    await expect(page.getByTestId("store-certificate")).toHaveCount(detail.storeCertificates.length);
    await expect(page.getByTestId("serial-history").locator("li")).toHaveCount(detail.serialHistory.length);
    await attachScreenshot(page, testInfo, "host detail");
  });

  test("a host without an imported certificate says so", async ({ page }) => {
    await page.goto(`/hosts/${fqdnOf("agent03")}`);
    await settled(page);
    await expect(page.getByTestId("registry-serial")).toContainText("No serial in the registry");
    await expect(page.getByTestId("bound-certificate")).toContainText("No certificate is bound");
    await expect(page.getByTestId("findings").locator('[data-severity="error"]')).toBeVisible();
  });

  test("an unknown host is a designed not-found state", async ({ page }) => {
    await page.goto("/hosts/nobody.fleet.e2e.test");
    await expect(page.getByText("No such host")).toBeVisible();
    await expect(page.getByRole("link", { name: /Search for/ })).toHaveAttribute("href", /q=nobody/);
  });
});

test.describe("certificate", () => {
  test("shows the parsed certificate, who holds it and downloads", async ({ page, request }, testInfo) => {
    const fqdn = fqdnOf("gw01");
    const host = await apiGet<HostDetail>(request, `/api/v1/hosts/${fqdn}`);
    const sha256 = host.boundCertificate?.sha256;
    if (!sha256) throw new Error("gw01 has a bound certificate");
    const detail = await apiGet<CertificateDetail>(request, `/api/v1/certificates/${sha256}`);

    await page.goto(`/hosts/${fqdn}`);
    await page.getByRole("link", { name: "Certificate details" }).click();
    await expect(page).toHaveURL(`/certificates/${sha256}`);
    await settled(page);
    await expect(page.getByTestId("certificate-serial")).toHaveText(detail.certificate.serialNumber);
    await expect(page.getByTestId("certificate-fields")).toContainText(detail.certificate.thumbprint);
    await expect(page.getByTestId("certificate-usage")).toContainText("Server Authentication");
    await expect(page.getByTestId("certificate-usage")).toContainText("Client Authentication");
    await expect(page.getByTestId("certificate-hosts").getByRole("link", { name: fqdn })).toBeVisible();

    await expect(page.getByTestId("download-pem")).toHaveAttribute("href", detail.downloads.pem);
    await expect(page.getByTestId("download-der")).toHaveAttribute("href", detail.downloads.der);
    const pem = await request.get(detail.downloads.pem);
    expect(pem.ok()).toBe(true);
    expect(await pem.text()).toContain("-----BEGIN CERTIFICATE-----");
    await attachScreenshot(page, testInfo, "certificate");
  });
});

test.describe("rules", () => {
  test("lists every rule with why, fix and the hosts it flags", async ({ page, request }, testInfo) => {
    const catalog = await apiGet<RuleCatalog>(request, "/api/v1/rules");
    await page.goto("/rules");
    await settled(page);
    const cards = page.getByTestId("rules").locator("> li");
    await expect(cards).toHaveCount(catalog.rules.length);
    for (const rule of catalog.rules) {
      const card = page.locator(`li[data-rule="${rule.id}"]`);
      await expect(card.getByRole("heading", { level: 3 })).toHaveText(rule.title);
      await expect(card).toContainText(rule.scomNeeds);
      await expect(card).toContainText(rule.remediation);
      const hosts = card.getByTestId("rule-hosts");
      if (rule.hosts.count > 0) {
        await expect(hosts).toContainText(shown(rule.hosts.count));
        await expect(hosts).toHaveAttribute("href", `/hosts?${rule.hosts.query}`);
      } else {
        await expect(hosts).toHaveText("No host flagged");
      }
    }
    await attachScreenshot(page, testInfo, "rules");

    const flagged = catalog.rules.find((rule) => rule.id === "csp-not-ksp");
    if (!flagged || flagged.hosts.count === 0) throw new Error("agent04 fails csp-not-ksp");
    await page.locator('li[data-rule="csp-not-ksp"]').getByTestId("rule-hosts").click();
    await expect(page).toHaveURL(/\/hosts\?rule=csp-not-ksp$/);
    await settled(page);
    await expect(page.getByTestId("host-row")).toHaveCount(flagged.hosts.count);
  });
});
