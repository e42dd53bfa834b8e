"use client";

import type {
  CertificateAuthentication,
  CertificateAuthSettingUpdate,
  HostDetail,
} from "@certfleet/contracts";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { MutationError, SubmitButton } from "@/components/ui/form-bits";
import {
  CERTIFICATE_AUTH_REASON_LABEL,
  certificateAuthHeadline,
  choiceOf,
  type SettingChoice,
  settingApplies,
  settingOf,
  waitsForNextReport,
} from "@/lib/certificate-auth";
import { auditKeys, hostKeys, managementGroupKeys, summaryKeys } from "@/lib/query-keys";
import { roleAtLeast } from "@/lib/roles";
import { useSend, useSession } from "@/lib/session";

/**
 * Whether this host needs a channel certificate, and why (issue 13: SCOM uses certificates only where
 * Kerberos cannot work). Admins set the per-host value here; the group's is on the Settings page.
 */
export function CertificateAuthPanel({ detail }: { detail: HostDetail }) {
  const auth = detail.host.certificateAuthentication;
  const { data: session } = useSession();
  const id = useId();
  const pending = waitsForNextReport(auth, detail.host, detail.registry);
  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid="certificate-auth">
      <h3 id={`${id}-title`}>Channel authentication</h3>
      <p data-required={auth.required}>
        <strong>{certificateAuthHeadline(auth)}.</strong> {CERTIFICATE_AUTH_REASON_LABEL[auth.reason]}
      </p>
      <p className="muted small">
        Host setting: {settingText(auth.hostSetting)} · Group setting:{" "}
        {detail.host.managementGroup ? settingText(auth.groupSetting) : "no management group"}
      </p>
      {pending ? (
        <p className="muted small" role="status">
          The findings are from the newest report: the setting applies when this host reports again.
        </p>
      ) : null}
      {roleAtLeast(session?.user.role, "admin") && settingApplies(auth) ? (
        <HostSettingForm fqdn={detail.host.fqdn} auth={auth} />
      ) : null}
    </section>
  );
}

function settingText(setting: boolean | null): string {
  if (setting === null) return "not set";
  return setting ? "required" : "not required (Kerberos)";
}

export const SETTING_CHOICE_LABEL: Record<SettingChoice, string> = {
  inherit: "Not set (use the group's setting or the default)",
  required: "Required: this host needs a channel certificate",
  "not-required": "Not required: the host uses Kerberos (trusted domain)",
};

function HostSettingForm({ fqdn, auth }: { fqdn: string; auth: CertificateAuthentication }) {
  const id = useId();
  const send = useSend();
  const queryClient = useQueryClient();
  const [choice, setChoice] = useState<SettingChoice>(choiceOf(auth.hostSetting));
  const save = useMutation({
    mutationFn: (body: CertificateAuthSettingUpdate) =>
      send<CertificateAuthentication>(
        `/api/v1/hosts/${encodeURIComponent(fqdn)}/certificate-authentication`,
        "PUT",
        body,
      ),
    onSuccess: () => {
      for (const queryKey of [hostKeys.all, summaryKeys.all, managementGroupKeys.all, auditKeys.all])
        void queryClient.invalidateQueries({ queryKey });
    },
  });
  const selectId = `${id}-choice`;
  return (
    <form
      className="form-row"
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate({ required: settingOf(choice) });
      }}
    >
      <label htmlFor={selectId}>Certificate authentication for this host</label>
      <select
        id={selectId}
        className="input"
        value={choice}
        onChange={(event) => setChoice(event.target.value as SettingChoice)}
      >
        {(Object.keys(SETTING_CHOICE_LABEL) as SettingChoice[]).map((value) => (
          <option key={value} value={value}>
            {SETTING_CHOICE_LABEL[value]}
          </option>
        ))}
      </select>
      <SubmitButton pending={save.isPending} label="Save" />
      {save.isError ? <MutationError error={save.error} /> : null}
      {save.isSuccess ? (
        <p className="muted small" role="status">
          Saved (audited). It applies at this host's next report.
        </p>
      ) : null}
    </form>
  );
}
