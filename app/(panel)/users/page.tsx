import { CheckIcon, XMarkIcon } from "@heroicons/react/20/solid";
import type { Metadata } from "next";
import { Breadcrumb } from "@/components/shell/breadcrumb";
import { AccessForm } from "@/components/users/access-form";
import { getAccountUsers } from "@/lib/dal/users";
import { requireViewer } from "@/lib/dal/session";

export const metadata: Metadata = { title: "Users" };

const ACCESS_LABEL = { none: "None", read: "Read", full: "Full" } as const;

export default async function UsersPage() {
  const viewer = await requireViewer();
  const users = await getAccountUsers(viewer);
  return (
    <>
      <Breadcrumb items={[{ label: "Users" }]} />
      <h1 className="mb-6 text-2xl font-semibold">Users</h1>
      <div className="@container overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
        <table className="stack-table min-w-full divide-y divide-slate-200 text-sm">
          <caption className="sr-only">Users of {viewer.account.name}</caption>
          <thead className="bg-slate-50 text-left">
            <tr>
              <th scope="col" className="px-4 py-3 font-semibold">Name</th>
              <th scope="col" className="px-4 py-3 font-semibold">Email</th>
              <th scope="col" className="px-4 py-3 font-semibold">Admin</th>
              <th scope="col" className="px-4 py-3 font-semibold">Invoice access</th>
              {viewer.isAdmin && (
                <th scope="col" className="px-4 py-3 font-semibold">
                  <span className="sr-only">Change</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {users.map((u) => (
              <tr key={u.id}>
                <td className="px-4 py-3 font-medium">
                  {u.name}
                  {u.id === viewer.userId && <>{" "}<span className="ml-1 text-xs text-slate-600">(you)</span></>}
                </td>
                <td data-label="Email" className="px-4 py-3">{u.email}</td>
                <td data-label="Admin" className="px-4 py-3">
                  {u.isAdmin ? (
                    <span className="inline-flex items-center gap-1 text-green-800"><CheckIcon aria-hidden="true" className="size-4" />Yes</span>
                  ) : (
                    <span className="inline-flex items-center gap-1 text-slate-600"><XMarkIcon aria-hidden="true" className="size-4" />No</span>
                  )}
                </td>
                <td data-label="Invoice access" className="px-4 py-3">{ACCESS_LABEL[u.invoiceAccess]}</td>
                {viewer.isAdmin && (
                  <td className="px-4 py-3">
                    {u.id === viewer.userId ? (
                      <span className="text-xs text-slate-600">You cannot change your own access</span>
                    ) : (
                      <AccessForm userId={u.id} name={u.name} invoiceAccess={u.invoiceAccess} isAdmin={u.isAdmin} />
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
