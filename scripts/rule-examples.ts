// Prints, for every rule, the findings the core produces on the test scenarios built to break it:
// the real messages, from real certificates. `pnpm rules:examples`
import { evaluateHost } from "../packages/core/src/index";
import { createFixture } from "../packages/core/test/support/fixture";
import { CERTIFICATE_SCENARIOS } from "../packages/core/test/support/scenarios-certificate";
import { HOST_SCENARIOS } from "../packages/core/test/support/scenarios-host";

const fixture = await createFixture();
for (const scenario of [...CERTIFICATE_SCENARIOS, ...HOST_SCENARIOS]) {
  const evaluation = evaluateHost(await scenario.build(fixture));
  for (const finding of evaluation.findings.filter((f) => f.ruleId === scenario.rule)) {
    console.log(`${finding.ruleId}\t${finding.severity}\t${scenario.name}\t${finding.message}`);
  }
}
