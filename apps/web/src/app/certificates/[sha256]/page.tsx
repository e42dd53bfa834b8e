import type { Metadata } from "next";
import { CertificateView } from "@/components/certificate/certificate-view";

type Params = Promise<{ sha256: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  return { title: `Certificate ${(await params).sha256.slice(0, 12)}…` };
}

export default async function CertificatePage({ params }: { params: Params }) {
  return <CertificateView sha256={(await params).sha256} />;
}
