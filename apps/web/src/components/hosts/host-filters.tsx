"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState } from "react";
import { rulesQuery, summaryQuery } from "@/lib/estate";
import {
  AUTHENTICATION_LABEL,
  EXPIRY_LABEL,
  labelFor,
  REPORTING_LABEL,
  ROLE_LABEL,
  SEVERITY_LABEL,
  STATUS_LABEL,
} from "@/lib/format";
import {
  AUTHENTICATIONS,
  EXPECTED_VALUES,
  EXPIRY_BUCKETS,
  type MultiKey,
  multiValues,
  REPORTING_STATES,
  ROLES,
  SEVERITIES,
  STATUSES,
  toggleExpected,
  toggleMulti,
  toggleRetired,
} from "@/lib/host-query";
import type { HostListParams } from "@/lib/query-keys";
import type { SetHostParams } from "./hosts-view";

const SEARCH_DEBOUNCE_MS = 300;
const WITHIN_CHOICES = [7, 14, 30, 60, 90, 180, 365];

/** Filter controls. They only write the URL; the table reads it back, so both always agree. */
export function HostFilters({ params, setParams }: { params: HostListParams; setParams: SetHostParams }) {
  const active = Object.keys(params).filter((key) => key !== "sort" && key !== "order").length;
  return (
    <section className="card filters" aria-label="Filters">
      <div className="filter-row">
        <SearchBox params={params} setParams={setParams} />
        <GroupSelect params={params} setParams={setParams} />
        <RuleSelect params={params} setParams={setParams} />
        <WithinSelect params={params} setParams={setParams} />
      </div>
      <div className="filter-row">
        <ChipGroup
          legend="Status"
          name="status"
          values={STATUSES}
          label={(v) => labelFor(STATUS_LABEL, v)}
          params={params}
          setParams={setParams}
        />
        <ChipGroup
          legend="Role"
          name="role"
          values={ROLES}
          label={(v) => labelFor(ROLE_LABEL, v)}
          params={params}
          setParams={setParams}
        />
        <ChipGroup
          legend="Reporting"
          name="reporting"
          values={REPORTING_STATES}
          label={(v) => labelFor(REPORTING_LABEL, v)}
          params={params}
          setParams={setParams}
        />
        <ChipGroup
          legend="Authentication"
          name="authentication"
          values={AUTHENTICATIONS}
          label={(v) => labelFor(AUTHENTICATION_LABEL, v)}
          params={params}
          setParams={setParams}
        />
        <InventoryChips params={params} setParams={setParams} />
      </div>
      <div className="filter-row">
        <ChipGroup
          legend="Expiry"
          name="expiry"
          values={EXPIRY_BUCKETS}
          label={(v) => labelFor(EXPIRY_LABEL, v)}
          params={params}
          setParams={setParams}
        />
        {params.rule ? (
          <ChipGroup
            legend="Finding severity"
            name="findingSeverity"
            values={SEVERITIES}
            label={(v) => labelFor(SEVERITY_LABEL, v)}
            params={params}
            setParams={setParams}
          />
        ) : null}
        {active > 0 ? (
          <button
            type="button"
            className="button button-ghost filters-clear"
            onClick={() => setParams({ sort: params.sort, order: params.order })}
          >
            Clear {active === 1 ? "filter" : `${active} filters`}
          </button>
        ) : null}
      </div>
    </section>
  );
}

interface ControlProps {
  params: HostListParams;
  setParams: SetHostParams;
}

function SearchBox({ params, setParams }: ControlProps) {
  const id = useId();
  const [text, setText] = useState(params.q ?? "");
  // The URL can change under us (back button, a link): show what it says.
  const lastPushed = useRef(params.q ?? "");
  useEffect(() => {
    const fromUrl = params.q ?? "";
    if (fromUrl !== lastPushed.current) {
      lastPushed.current = fromUrl;
      setText(fromUrl);
    }
  }, [params.q]);

  useEffect(() => {
    const trimmed = text.trim();
    if (trimmed === lastPushed.current) return;
    const timer = setTimeout(() => {
      lastPushed.current = trimmed;
      // Typing refines one view: replace, so Back leaves the list instead of replaying keystrokes.
      setParams({ ...params, q: trimmed === "" ? undefined : trimmed }, "replace");
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, params, setParams]);

  return (
    <div className="field field-search">
      <label htmlFor={id}>Search FQDN</label>
      <input
        id={id}
        type="search"
        className="input"
        placeholder="e.g. gw01 or contoso.com"
        value={text}
        maxLength={253}
        autoComplete="off"
        spellCheck={false}
        onChange={(event) => setText(event.target.value)}
      />
    </div>
  );
}

function GroupSelect({ params, setParams }: ControlProps) {
  const id = useId();
  const { data } = useQuery(summaryQuery());
  const groups = data?.byManagementGroup ?? [];
  const current = params.managementGroup;
  const known = groups.some((group) => (group.key ?? "") === current);
  return (
    <div className="field">
      <label htmlFor={id}>Management group</label>
      <select
        id={id}
        className="input"
        value={current === undefined ? "__any" : current}
        onChange={(event) =>
          setParams({
            ...params,
            managementGroup: event.target.value === "__any" ? undefined : event.target.value,
          })
        }
      >
        <option value="__any">Any group</option>
        {groups.map((group) => (
          <option key={group.key ?? ""} value={group.key ?? ""}>
            {group.key ?? "No management group"} ({group.count})
          </option>
        ))}
        {current !== undefined && !known ? (
          <option value={current}>{current === "" ? "No management group" : current}</option>
        ) : null}
      </select>
    </div>
  );
}

function RuleSelect({ params, setParams }: ControlProps) {
  const id = useId();
  const { data } = useQuery(rulesQuery());
  const rules = data?.rules ?? [];
  const current = params.rule;
  return (
    <div className="field">
      <label htmlFor={id}>Failing rule</label>
      <select
        id={id}
        className="input"
        value={current ?? "__any"}
        onChange={(event) => {
          const rule = event.target.value === "__any" ? undefined : event.target.value;
          setParams({ ...params, rule, findingSeverity: rule ? params.findingSeverity : undefined });
        }}
      >
        <option value="__any">Any rule</option>
        {rules.map((rule) => (
          <option key={rule.id} value={rule.id}>
            {rule.title} ({rule.id})
          </option>
        ))}
        {current && !rules.some((rule) => rule.id === current) ? (
          <option value={current}>{current}</option>
        ) : null}
      </select>
    </div>
  );
}

function WithinSelect({ params, setParams }: ControlProps) {
  const id = useId();
  const current = params.expiresWithinDays;
  const choices =
    current !== undefined && !WITHIN_CHOICES.includes(current)
      ? [...WITHIN_CHOICES, current].sort((a, b) => a - b)
      : WITHIN_CHOICES;
  return (
    <div className="field">
      <label htmlFor={id}>Expires within</label>
      <select
        id={id}
        className="input"
        value={current === undefined ? "" : String(current)}
        onChange={(event) =>
          setParams({
            ...params,
            expiresWithinDays: event.target.value === "" ? undefined : Number(event.target.value),
          })
        }
      >
        <option value="">Any time</option>
        {choices.map((days) => (
          <option key={days} value={days}>
            {days} days
          </option>
        ))}
      </select>
    </div>
  );
}

function ChipGroup({
  legend,
  name,
  values,
  label,
  params,
  setParams,
}: ControlProps & {
  legend: string;
  name: MultiKey;
  values: readonly string[];
  label: (value: string) => string;
}) {
  const selected = multiValues(params, name);
  return (
    <fieldset className="chip-group" data-filter={name}>
      <legend>{legend}</legend>
      <div className="chips">
        {values.map((value) => {
          const on = selected.includes(value);
          return (
            <button
              key={value}
              type="button"
              className="chip"
              aria-pressed={on}
              data-value={value}
              onClick={() => setParams(toggleMulti(params, name, value))}
            >
              {label(value)}
            </button>
          );
        })}
      </div>
    </fieldset>
  );
}

const EXPECTED_LABEL = { true: "Listed", false: "Not listed" } as const;

/** Whether an inventory lists the host: one value at a time (the API takes true or false, not both). */
function InventoryChips({ params, setParams }: ControlProps) {
  return (
    <fieldset className="chip-group" data-filter="expected">
      <legend>Inventory</legend>
      <div className="chips">
        {EXPECTED_VALUES.map((value) => (
          <button
            key={value}
            type="button"
            className="chip"
            aria-pressed={params.expected === value}
            data-value={value}
            onClick={() => setParams(toggleExpected(params, value))}
          >
            {EXPECTED_LABEL[value]}
          </button>
        ))}
        <button
          type="button"
          className="chip"
          aria-pressed={params.retired === "true"}
          data-value="retired"
          onClick={() => setParams(toggleRetired(params))}
        >
          Retired
        </button>
      </div>
    </fieldset>
  );
}
