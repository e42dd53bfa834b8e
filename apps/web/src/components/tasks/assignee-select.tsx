"use client";

import type { Assignee } from "@certfleet/contracts";

/** The people a task can go to, as options; "" until someone is chosen. */
export function AssigneeSelect({
  id,
  people,
  value,
  onChange,
}: {
  id: string;
  people: Assignee[] | undefined;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <select
      id={id}
      className="input input-inline"
      value={value}
      required
      onChange={(event) => onChange(event.target.value)}
    >
      <option value="">Choose a person…</option>
      {people?.map((person) => (
        <option key={person.id} value={String(person.id)}>
          {person.name} ({person.email})
        </option>
      ))}
    </select>
  );
}
