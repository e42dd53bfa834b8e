"use client";

import type { CertReqSettings, CertReqSettingsUpdate } from "@certfleet/contracts";
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { describedBy, Field, MutationError, SaveStatus, SubmitButton } from "@/components/ui/form-bits";
import { QueryStates } from "@/components/ui/query-state";
import { apiFetch } from "@/lib/api";
import { formatTemplateMap, parseTemplateMap, templateMapErrors } from "@/lib/certreq-templates";
import { fieldErrors } from "@/lib/field-errors";
import { auditKeys, settingsKeys } from "@/lib/query-keys";
import { useSend } from "@/lib/session";

const certReqSettingsKey = [...settingsKeys.all, "certreq"] as const;

const certReqSettingsQuery = () =>
  queryOptions({
    queryKey: certReqSettingsKey,
    queryFn: ({ signal }) => apiFetch<CertReqSettings>("/api/v1/settings/certreq", { signal }),
  });

/** Settings > CertReq template: which template the downloaded .inf requests. */
export function CertReqSettingsCard() {
  const query = useQuery(certReqSettingsQuery());
  return (
    <QueryStates query={query} what="the CertReq template settings" lines={3}>
      {(data) => <CertReqSettingsForm settings={data} />}
    </QueryStates>
  );
}

function CertReqSettingsForm({ settings }: { settings: CertReqSettings }) {
  const id = useId();
  const send = useSend();
  const queryClient = useQueryClient();
  const [defaultName, setDefaultName] = useState(settings.defaultTemplateName ?? "");
  const [mapText, setMapText] = useState(formatTemplateMap(settings.templateNamesByOid));
  const parsed = parseTemplateMap(mapText);
  const save = useMutation({
    mutationFn: (body: CertReqSettingsUpdate) =>
      send<CertReqSettings>("/api/v1/settings/certreq", "PUT", body),
    onSuccess: (saved) => {
      queryClient.setQueryData(certReqSettingsKey, saved);
      setMapText(formatTemplateMap(saved.templateNamesByOid));
      void queryClient.invalidateQueries({ queryKey: auditKeys.all });
    },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (parsed.errors.length > 0) return;
    const name = defaultName.trim();
    save.mutate({ defaultTemplateName: name === "" ? null : name, templateNamesByOid: parsed.mappings });
  };
  const { byField, other } = fieldErrors(save.error, ["defaultTemplateName", "templateNamesByOid"]);
  const mapErrors = [...parsed.errors, ...templateMapErrors(save.error, parsed.lines)];
  const mapError = mapErrors.length > 0 ? mapErrors.join("; ") : undefined;
  const nameId = `${id}-default`;
  const mapId = `${id}-map`;

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>CertReq template</h3>
      <p className="muted small">
        The downloaded CertReq .inf requests the template the host's current certificate came from: its
        template name when it carries one, else its template OID named below, else the default. With none, the
        .inf leaves CertificateTemplate commented out and the operator must fill it in.
      </p>
      <form className="stack" onSubmit={submit}>
        <Field
          id={nameId}
          label="Default template name"
          error={byField.defaultTemplateName}
          hint="Your Operations Manager template's name in Active Directory (the seed calls it OperationsManager). Empty: no default."
        >
          <input
            id={nameId}
            className="input"
            maxLength={64}
            value={defaultName}
            aria-describedby={describedBy(nameId, byField.defaultTemplateName, true)}
            onChange={(event) => setDefaultName(event.target.value)}
          />
        </Field>
        <Field
          id={mapId}
          label="Template names by OID"
          error={mapError}
          hint="One per line: OID = template name. The OID is the certificate's Certificate Template Information (certutil -template lists them)."
        >
          <textarea
            id={mapId}
            className="input"
            rows={4}
            spellCheck={false}
            placeholder="1.3.6.1.4.1.311.21.8.… = OperationsManager"
            value={mapText}
            aria-describedby={describedBy(mapId, mapError, true)}
            onChange={(event) => setMapText(event.target.value)}
          />
        </Field>
        <div className="form-submit">
          <SubmitButton pending={save.isPending} label="Save templates" disabled={parsed.errors.length > 0} />
        </div>
      </form>
      {save.isError ? <MutationError error={save.error} extra={other} /> : null}
      <SaveStatus
        saved={save.isSuccess}
        updatedAt={settings.updatedAt}
        never="Never set: the .inf names no template until you set one."
      />
    </section>
  );
}
