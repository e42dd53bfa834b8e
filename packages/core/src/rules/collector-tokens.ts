import { finding, type HostRule, listOf } from "./context";

/**
 * collector-tokens (certfleet's own rule): the host was reported by more than one collector token within a
 * day. Never a problem for SCOM, so info only; but a copied collector or a reused host name shows up here
 * before two collectors start overwriting each other's view of the host.
 */
export const collectorTokensRule: HostRule = ({ input }) => {
  const tokens = input.reportingTokens;
  if (!tokens) return [];
  const others = [...new Set(tokens.others)].filter((name) => name !== tokens.current).sort();
  if (others.length === 0) return [];
  const names = [tokens.current, ...others].map((name) => `"${name}"`);
  return [
    finding(
      "collector-tokens",
      "info",
      `this host was reported by collector tokens ${listOf(names)} within a day; this report came with "${tokens.current}"`,
    ),
  ];
};
