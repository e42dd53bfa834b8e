"use client";

import type { CertificateAuthSettingUpdate, ManagementGroup } from "@certfleet/contracts";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useId, useState } from "react";
import { MutationError, SubmitButton } from "@/components/ui/form-bits";
import { QueryStates } from "@/components/ui/query-state";
import { choiceOf, managementGroupsQuery, type SettingChoice, settingOf } from "@/lib/certificate-auth";
import { formatCount } from "@/lib/format";
import { hostsHref } from "@/lib/host-query";
import { auditKeys, hostKeys, managementGroupKeys, summaryKeys } from "@/lib/query-keys";
import { useSend } from "@/lib/session";

const GROUP_CHOICE_LABEL: Record<SettingChoice, string> = {
  inherit: "Not set (required: the default)",
  required: "Required",
  "not-required": "Not required: domain hosts use Kerberos",
};

/**
 * Per management group: do its domain hosts need a channel certificate? SCOM uses certificates only
 * where Kerberos cannot work (the seed's first paragraph); gateways and workgroup hosts always need one.
 */
export function ManagementGroupsAdmin() {
  const id = useId();
  const query = useQuery(managementGroupsQuery());
  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid="management-groups-admin">
      <h3 id={`${id}-title`}>Certificate authentication by management group</h3>
      <p className="muted small">
        Set “not required” for a group whose agents are in domains its management servers trust: a missing
        channel certificate then shows as “uses Kerberos” (info) instead of an error. Gateways and hosts that
        are not domain-joined need a certificate whatever this says; a host's own setting (on its page) wins
        over the group's. Hosts apply a change at their next report.
      </p>
      <QueryStates query={query} what="the management groups" lines={3}>
        {(data) =>
          data.items.length === 0 ? (
            <p className="muted">No management groups reported yet.</p>
          ) : (
            <table className="data-table">
              <thead>
                <tr>
                  <th scope="col">Group</th>
                  <th scope="col">Hosts</th>
                  <th scope="col">Uses Kerberos</th>
                  <th scope="col">Certificate authentication</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((group) => (
                  <GroupRow key={group.id} group={group} />
                ))}
              </tbody>
            </table>
          )
        }
      </QueryStates>
    </section>
  );
}

function GroupRow({ group }: { group: ManagementGroup }) {
  const id = useId();
  const send = useSend();
  const queryClient = useQueryClient();
  const [choice, setChoice] = useState<SettingChoice>(choiceOf(group.certificateAuthRequired));
  const save = useMutation({
    mutationFn: (body: CertificateAuthSettingUpdate) =>
      send<ManagementGroup>(`/api/v1/management-groups/${group.id}/certificate-authentication`, "PUT", body),
    onSuccess: () => {
      for (const queryKey of [managementGroupKeys.all, hostKeys.all, summaryKeys.all, auditKeys.all])
        void queryClient.invalidateQueries({ queryKey });
    },
  });
  const selectId = `${id}-choice`;
  return (
    <tr data-group={group.name}>
      <th scope="row">
        <Link href={hostsHref({ managementGroup: group.name })}>{group.name}</Link>
      </th>
      <td>{formatCount(group.hosts)}</td>
      <td>
        <Link href={hostsHref({ managementGroup: group.name, authentication: "kerberos" })}>
          {formatCount(group.usesKerberos)}
        </Link>
      </td>
      <td>
        <form
          className="form-row"
          onSubmit={(event) => {
            event.preventDefault();
            save.mutate({ required: settingOf(choice) });
          }}
        >
          <label htmlFor={selectId} className="visually-hidden">
            Certificate authentication for {group.name}
          </label>
          <select
            id={selectId}
            className="input"
            value={choice}
            onChange={(event) => setChoice(event.target.value as SettingChoice)}
          >
            {(Object.keys(GROUP_CHOICE_LABEL) as SettingChoice[]).map((value) => (
              <option key={value} value={value}>
                {GROUP_CHOICE_LABEL[value]}
              </option>
            ))}
          </select>
          <SubmitButton pending={save.isPending} label="Save" small />
          {save.isSuccess ? (
            <span className="muted small" role="status">
              Saved
            </span>
          ) : null}
        </form>
        {save.isError ? <MutationError error={save.error} /> : null}
      </td>
    </tr>
  );
}
