/**
 * Groups what is due per channel into messages: a digest channel gets one message listing
 * everything (300 expiring agents make one e-mail, not 300); any other channel one per item.
 */
export function groupIntoMessages<T>(items: readonly T[], digest: boolean): T[][] {
  if (items.length === 0) return [];
  return digest ? [[...items]] : items.map((item) => [item]);
}
