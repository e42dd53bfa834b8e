import { QueryClient } from "@tanstack/react-query";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "../src/lib/api";
import {
  afterInventoryImport,
  describeOutcomeError,
  INVENTORY_MAX_SOURCES,
  type InventoryOutcome,
  inventoryErrorsBySource,
  inventorySourceProblems,
  postInventory,
} from "../src/lib/inventory-api";
import { hostKeys, summaryKeys } from "../src/lib/query-keys";
import { type SendMethod, sendJson } from "../src/lib/send";

afterEach(() => vi.unstubAllGlobals());

const AGENTS = {
  name: "agents.csv",
  csv: '#TYPE Microsoft.EnterpriseManagement.Administration.AgentManagedComputer\n"PrincipalName","ManagementGroup"\n"a1.contoso.com","MG-PROD"\n',
};
const PLAIN = { name: "dmz.csv", csv: "fqdn,role,managementGroup\ngw1.dmz.contoso.com,Gateway,MG-DMZ\n" };

const OUTCOME: InventoryOutcome = {
  dryRun: true,
  added: 2,
  updated: 0,
  unchanged: 0,
  retired: 1,
  restored: 0,
  byManagementGroup: [{ managementGroup: "MG-PROD", added: 1, retired: 1, total: 1 }],
  retiredHosts: ["old.contoso.com"],
  errors: [],
};

const csrf = { token: async () => "csrf-1", refresh: async () => "csrf-2" };
const send = <T>(path: string, method: SendMethod, body?: unknown) => sendJson<T>(path, method, body, csrf);

describe("inventory import requests", () => {
  it("posts every chosen file as a named source, with dryRun for the preview", async () => {
    const fetch = vi.fn(async (_path: string, _init?: RequestInit) => Response.json(OUTCOME));
    vi.stubGlobal("fetch", fetch);
    expect(await postInventory(send, [AGENTS, PLAIN], true)).toEqual(OUTCOME);
    const [path, init] = fetch.mock.calls[0] ?? [];
    expect(path).toBe("/api/v1/inventory");
    expect(init?.method).toBe("POST");
    expect(init?.headers).toMatchObject({ "x-csrf-token": "csrf-1" });
    expect(JSON.parse(String(init?.body))).toEqual({ sources: [AGENTS, PLAIN], dryRun: true });
  });

  it("names the file and line of each bad row of a 422, and nothing else", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () =>
        Response.json(
          {
            type: "https://certfleet.dev/problems/422",
            title: "The inventory has bad rows",
            status: 422,
            errors: [
              {
                field: "sources[1].csv line 2 column role",
                message: "must be ManagementServer, Gateway or Agent",
              },
              { field: "sources[0].csv line 3 column PrincipalName", message: "is not an FQDN" },
              { field: "sources[1].csv line 5 column fqdn", message: "is empty" },
              { field: "dryRun", message: "must be a boolean" },
            ],
          },
          { status: 422, headers: { "content-type": "application/problem+json" } },
        ),
      ),
    );
    const error = await postInventory(send, [AGENTS, PLAIN], false).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(inventoryErrorsBySource(error, [AGENTS, PLAIN])).toEqual([
      {
        source: "dmz.csv",
        messages: [
          "line 2 column role: must be ManagementServer, Gateway or Agent",
          "line 5 column fqdn: is empty",
        ],
      },
      { source: "agents.csv", messages: ["line 3 column PrincipalName: is not an FQDN"] },
      { source: null, messages: ["dryRun: must be a boolean"] },
    ]);
  });

  it("reads errors whose line is in the message rather than the field", () => {
    const error = new ApiError(422, "Bad rows", undefined, {
      type: "about:blank",
      title: "Bad rows",
      status: 422,
      errors: [{ field: "sources[0].csv", message: "line 4: missing PrincipalName" }],
    });
    expect(inventoryErrorsBySource(error, [AGENTS])).toEqual([
      { source: "agents.csv", messages: ["line 4: missing PrincipalName"] },
    ]);
    expect(inventoryErrorsBySource(new Error("offline"), [AGENTS])).toEqual([]);
  });

  it("makes the overview and every host list read again after an import", async () => {
    const client = new QueryClient();
    const invalidate = vi.spyOn(client, "invalidateQueries");
    await afterInventoryImport(client);
    expect(invalidate.mock.calls.map(([filters]) => filters?.queryKey)).toEqual([
      summaryKeys.all,
      hostKeys.all,
    ]);
  });
});

describe("choosing files", () => {
  it("accepts one to twenty non-empty files within the size limits", () => {
    expect(inventorySourceProblems([AGENTS, PLAIN])).toEqual([]);
    expect(inventorySourceProblems([])).toEqual(["Choose at least one CSV file."]);
    const many = Array.from({ length: INVENTORY_MAX_SOURCES + 1 }, (_, i) => ({
      ...PLAIN,
      name: `${i}.csv`,
    }));
    expect(inventorySourceProblems(many)).toEqual(["Choose at most 20 files at once (21 chosen)."]);
    expect(inventorySourceProblems([{ name: "blank.csv", csv: " \n" }])).toEqual(["blank.csv is empty."]);
  });

  it("refuses a file over 8 MiB and files over 16 MiB together, before sending them", () => {
    const big = (name: string, mib: number) => ({ name, csv: "x".repeat(mib * 1024 * 1024) });
    expect(inventorySourceProblems([big("huge.csv", 9)])).toEqual([
      "huge.csv is 9.0 MiB; one file may be at most 8 MiB.",
    ]);
    expect(inventorySourceProblems([big("a.csv", 6), big("b.csv", 6), big("c.csv", 6)])).toEqual([
      "Together the files are 18.0 MiB; at most 16 MiB go in one import.",
    ]);
  });

  it("shows an entry of a successful answer's errors as its field and message", () => {
    expect(describeOutcomeError({ field: "sources[0].csv line 2", message: "duplicate" })).toBe(
      "sources[0].csv line 2: duplicate",
    );
  });
});
