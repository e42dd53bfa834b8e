import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { TaskDetailView } from "@/components/task/task-detail";

type Params = Promise<{ id: string }>;

function parseId(segment: string): number | null {
  return /^[1-9][0-9]{0,9}$/.test(segment) ? Number(segment) : null;
}

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  return { title: `Task ${(await params).id}` };
}

export default async function TaskPage({ params }: { params: Params }) {
  const id = parseId((await params).id);
  if (id === null) notFound();
  return <TaskDetailView id={id} />;
}
