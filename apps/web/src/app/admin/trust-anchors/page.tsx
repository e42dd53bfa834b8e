import type { Metadata } from "next";
import { TrustAnchorsAdmin } from "@/components/admin/trust-anchors-admin";

export const metadata: Metadata = { title: "Trust anchors" };

export default function TrustAnchorsPage() {
  return <TrustAnchorsAdmin />;
}
