import { HealthStatus } from "@/components/health-status";
import { Overview } from "@/components/overview/overview";

export default function HomePage() {
  return (
    <div className="stack">
      <Overview />
      <HealthStatus />
    </div>
  );
}
