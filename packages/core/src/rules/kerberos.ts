import { registryValue } from "../binding";
import { requiresCertificateAuthentication } from "../certificate-authentication";
import type { RuleContext } from "./context";

/**
 * The host authenticates with Kerberos: certificate authentication is not required for it, and no
 * channel certificate is configured at all (neither registry value is set, nothing bound). Then the
 * rules that would read a certificate have nothing to say: registry-serial says "uses Kerberos" (info),
 * the certificate rules do not run (nothing is bound), and the events rule does not ask for a load event
 * that only a certificate host logs. A host that has a value in the registry is configured for a
 * certificate whatever the setting says, so it is judged as one.
 */
export function usesKerberos({ input, bound }: RuleContext): boolean {
  if (bound || requiresCertificateAuthentication(input.host)) return false;
  const { channelCertificateSerialNumber, channelCertificateHash } = input.registry;
  return (
    registryValue(channelCertificateSerialNumber) === null && registryValue(channelCertificateHash) === null
  );
}
