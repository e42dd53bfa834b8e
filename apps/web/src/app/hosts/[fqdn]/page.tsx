import type { Metadata } from "next";
import { HostDetailView } from "@/components/host/host-detail";

type Params = Promise<{ fqdn: string }>;

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // a stray % in a typed URL: let the API answer for it
  }
}

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  return { title: decode((await params).fqdn) };
}

export default async function HostPage({ params }: { params: Params }) {
  return <HostDetailView fqdn={decode((await params).fqdn)} />;
}
