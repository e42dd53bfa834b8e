import type {
  ComplianceDiff,
  ComplianceReportPage,
  ComplianceVerification,
  ReportScheduleList,
} from "@certfleet/contracts";
import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import { apiFetch } from "./api";
import { complianceKeys } from "./query-keys";

/** Reads of the compliance API: reports (page by page), comparisons and schedules. */

export const REPORTS_PAGE_SIZE = 25;

export const complianceReportsQuery = () =>
  infiniteQueryOptions({
    queryKey: complianceKeys.reports(),
    queryFn: ({ signal, pageParam }) =>
      apiFetch<ComplianceReportPage>(
        `/api/v1/compliance-reports?limit=${REPORTS_PAGE_SIZE}${pageParam ? `&cursor=${pageParam}` : ""}`,
        { signal },
      ),
    initialPageParam: "",
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });

export const complianceDiffQuery = (from: number, to: number) =>
  queryOptions({
    queryKey: complianceKeys.diff(from, to),
    queryFn: ({ signal }) =>
      apiFetch<ComplianceDiff>(`/api/v1/compliance-reports/${from}/diff/${to}`, { signal }),
    // Reports never change: a comparison is the same forever.
    staleTime: Number.POSITIVE_INFINITY,
  });

export const reportSchedulesQuery = () =>
  queryOptions({
    queryKey: complianceKeys.schedules(),
    queryFn: ({ signal }) => apiFetch<ReportScheduleList>("/api/v1/report-schedules", { signal }),
  });

export const verifyComplianceReport = (id: number) =>
  apiFetch<ComplianceVerification>(`/api/v1/compliance-reports/${id}/verify`);
