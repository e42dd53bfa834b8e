"use client";

import { useQuery } from "@tanstack/react-query";
import { DataTable } from "@/components/ui/data-table";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState, QueryStates } from "@/components/ui/query-state";
import { usersQuery } from "@/lib/admin-api";
import { useSession } from "@/lib/session";
import { UserCreateForm } from "./user-create-form";
import { UserRow } from "./user-row";

/** `/admin/users`: who can sign in, with which role. */
export function UsersAdmin() {
  const query = useQuery(usersQuery());
  const { data: session } = useSession();
  return (
    <div className="stack">
      <PageHeader title="Users">
        People who sign in to certfleet. Disabling someone also signs them out everywhere.
      </PageHeader>
      <UserCreateForm />
      <QueryStates query={query} what="the users" lines={6}>
        {(data) =>
          data.items.length === 0 ? (
            <EmptyState title="No users yet" />
          ) : (
            <section className="card table-card" aria-label="Users">
              <DataTable
                columns={[
                  "E-mail",
                  "Name",
                  "Role",
                  "Status",
                  "Last sign-in",
                  { label: "Actions", hidden: true },
                ]}
              >
                {data.items.map((user) => (
                  <UserRow key={user.id} user={user} isSelf={user.id === session?.user.id} />
                ))}
              </DataTable>
            </section>
          )
        }
      </QueryStates>
    </div>
  );
}
