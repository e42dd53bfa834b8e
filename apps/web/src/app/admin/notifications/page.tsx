import type { Metadata } from "next";
import { NotificationsAdmin } from "@/components/admin/notifications/notifications-admin";

export const metadata: Metadata = { title: "Notifications" };

export default function NotificationsPage() {
  return <NotificationsAdmin />;
}
