import type { Metadata } from "next";
import { Suspense } from "react";
import { TasksView } from "@/components/tasks/tasks-view";
import { SkeletonCard } from "@/components/ui/query-state";

export const metadata: Metadata = { title: "Tasks" };

export default function TasksPage() {
  return (
    // The view and filters live in the URL (useSearchParams), which only exists in the browser.
    <Suspense fallback={<SkeletonCard label="Loading tasks" lines={8} />}>
      <TasksView />
    </Suspense>
  );
}
