import { HealthStatus } from "@/components/health-status";

export default function HomePage() {
  return (
    <div className="stack">
      <section className="intro">
        <h2>Overview</h2>
        <p className="muted">
          certfleet watches the certificate each Management Server, Gateway and Agent uses for its SCOM
          channel: serial, expiry and whether SCOM will accept it. The estate dashboard arrives here next.
        </p>
      </section>
      <HealthStatus />
    </div>
  );
}
