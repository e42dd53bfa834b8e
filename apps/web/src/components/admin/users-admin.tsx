"use client";

import { useQuery } from "@tanstack/react-query";
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
              <div className="table-scroll">
                <table className="data-table">
                  <thead>
                    <tr>
                      <th scope="col">E-mail</th>
                      <th scope="col">Name</th>
                      <th scope="col">Role</th>
                      <th scope="col">Status</th>
                      <th scope="col">Last sign-in</th>
                      <th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.items.map((user) => (
                      <UserRow key={user.id} user={user} isSelf={user.id === session?.user.id} />
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
          )
        }
      </QueryStates>
    </div>
  );
}
