import type { FieldChange } from "@/lib/change-diff";

/** "field: before → after" per changed field; the arrow is read as "changed to". */
export function DiffList({ changes }: { changes: FieldChange[] }) {
  if (changes.length === 0) return null;
  return (
    <ul className="diff-list">
      {changes.map((change) => (
        <li key={change.field}>
          <code>{change.field}</code>: <span className="diff-before">{change.before}</span>
          <span aria-hidden="true"> → </span>
          <span className="visually-hidden"> changed to </span>
          <span className="diff-after">{change.after}</span>
        </li>
      ))}
    </ul>
  );
}
