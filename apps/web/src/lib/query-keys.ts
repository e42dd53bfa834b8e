/**
 * React Query key factories: one object per resource, every key for that resource built here so
 * invalidation (`queryClient.invalidateQueries({ queryKey: fooKeys.all })`) always matches.
 *
 * Convention for list/detail resources (add them as they appear):
 *   hostKeys.all            ["hosts"]
 *   hostKeys.lists()        ["hosts", "list"]
 *   hostKeys.list(filters)  ["hosts", "list", filters]
 *   hostKeys.detail(id)     ["hosts", "detail", id]
 */
export const healthKeys = {
  all: ["health"] as const,
};
