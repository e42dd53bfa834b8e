import type { NotificationStatus } from "@certfleet/contracts";
import { type IconTone, StatusIcon } from "@/components/ui/status-badge";

const LABEL: Record<NotificationStatus, string> = {
  delivered: "Delivered",
  failed: "Failed",
  pending: "Pending",
};
const TONE: Record<NotificationStatus, IconTone> = { delivered: "ok", failed: "error", pending: "neutral" };

/** A delivery status as a shape and a word, never colour alone. */
export function DeliveryBadge({ status }: { status: NotificationStatus }) {
  return (
    <span className={`badge badge-${TONE[status]}`} data-delivery-status={status}>
      <StatusIcon tone={TONE[status]} />
      {LABEL[status]}
    </span>
  );
}
