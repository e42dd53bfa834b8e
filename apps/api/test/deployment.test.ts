import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const root = new URL("../../../", import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), "utf8");

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}
const compose = parse(read("docker-compose.yml")) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const service = (name: string): Service => {
  const found = compose.services[name];
  if (!found) throw new Error(`docker-compose.yml has no ${name} service`);
  return found;
};

describe("docker-compose.yml", () => {
  it("runs exactly postgres, the one-shot migrate, api and web", () => {
    expect(Object.keys(compose.services).sort()).toEqual(["api", "migrate", "postgres", "web"]);
  });

  it("gives the api a role that owns nothing; only migrate holds the schema owner's password", () => {
    const api = service("api");
    const migrate = service("migrate");
    expect(api.environment?.DATABASE_URL).toMatch(/^postgresql:\/\/certfleet_app:/);
    expect(api.environment?.MIGRATION_DATABASE_URL).toBeUndefined();
    expect(JSON.stringify(api.environment)).not.toContain("POSTGRES_PASSWORD");
    expect(migrate.environment?.MIGRATION_DATABASE_URL).toMatch(
      /^postgresql:\/\/certfleet:\$\{POSTGRES_PASSWORD\}@/,
    );
    expect(migrate.environment?.DATABASE_URL).toBe(api.environment?.DATABASE_URL);
    expect((migrate as { command?: string[] }).command?.join(" ")).toMatch(/apps\/api\/src\/migrate\.ts/);
    expect(api.depends_on?.migrate?.condition).toBe("service_completed_successfully");
    expect(migrate.depends_on?.postgres?.condition).toBe("service_healthy");
    // The runtime role is created by the init script the postgres service mounts.
    const init = service("postgres").volumes?.find((volume) => volume.includes("docker-entrypoint-initdb.d"));
    expect(init).toBeDefined();
    const script = read((init ?? "").split(":")[0]?.replace(/^\.\//, "") ?? "");
    expect(script).toMatch(/app_role="\$\{CERTFLEET_DB_APP_ROLE:-certfleet_app\}"/);
    expect(script).toMatch(/CREATE ROLE :"app_role" LOGIN PASSWORD :'app_password' NOSUPERUSER/);
  });

  it("pins Postgres, keeps its data in a named volume and checks its health", () => {
    const postgres = service("postgres");
    expect(postgres.image).toMatch(/^postgres:\d+\.\d+/);
    expect(postgres.volumes).toContain("pgdata:/var/lib/postgresql/data");
    expect(compose.volumes).toHaveProperty("pgdata");
    expect(postgres.healthcheck?.test.join(" ")).toMatch(/pg_isready/);
  });

  it("starts the api only after the migrations, listening on all interfaces at 3001, with a healthcheck", () => {
    const api = service("api");
    expect(api.depends_on?.migrate?.condition).toBe("service_completed_successfully");
    expect(api.environment?.DATABASE_URL).toMatch(/^postgresql:\/\/.*@postgres:5432\/certfleet$/);
    expect(api.environment?.CERTFLEET_API_HOST).toBe("0.0.0.0");
    expect(api.ports?.some((port) => port.endsWith(":3001"))).toBe(true);
    expect(api.healthcheck?.test.join(" ")).toMatch(/\/api\/health/);
  });

  it("refuses to start without a first admin, so a fresh deployment is never unreachable", () => {
    const api = service("api");
    expect(api.environment?.CERTFLEET_ADMIN_EMAIL).toMatch(/^\$\{CERTFLEET_ADMIN_EMAIL:\?/);
    expect(api.environment?.CERTFLEET_ADMIN_PASSWORD).toMatch(/^\$\{CERTFLEET_ADMIN_PASSWORD:\?/);
  });

  it("starts the web app on a healthy api at 3000, pointing its proxy at the api service", () => {
    const web = service("web");
    expect(web.depends_on?.api?.condition).toBe("service_healthy");
    expect(web.environment?.CERTFLEET_API_URL).toBe("http://api:3001");
    expect(web.ports?.some((port) => port.endsWith(":3000"))).toBe(true);
    expect(web.healthcheck).toBeDefined();
  });

  it("builds api and web from multi-stage Dockerfiles that run as a non-root user", () => {
    for (const name of ["api", "web"]) {
      const build = service(name).build;
      expect(build, name).toBeDefined();
      const dockerfile = read(build?.dockerfile ?? "");
      expect(dockerfile.match(/^FROM /gm)?.length, `${name} stages`).toBeGreaterThanOrEqual(2);
      const finalStage = dockerfile.slice(dockerfile.lastIndexOf("\nFROM "));
      expect(finalStage, `${name} final stage user`).toMatch(/^USER (?!root\b)\w+/m);
    }
  });

  it("requires its secrets instead of defaulting them", () => {
    const text = read("docker-compose.yml");
    expect(text).toMatch(/POSTGRES_PASSWORD: \$\{POSTGRES_PASSWORD:\?/);
    expect(text).toMatch(/CERTFLEET_COLLECTOR_TOKEN: \$\{CERTFLEET_COLLECTOR_TOKEN:\?/);
    expect(text).toMatch(/CERTFLEET_DB_APP_PASSWORD: \$\{CERTFLEET_DB_APP_PASSWORD:\?/);
  });
});
