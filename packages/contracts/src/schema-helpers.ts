import { Type } from "typebox";

export const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

/** A query parameter holding a comma-separated list of the given values. */
export const commaList = (values: readonly string[], description: string) =>
  Type.String({ pattern: `^(${values.join("|")})(,(${values.join("|")}))*$`, description });

export const DateTime = (description?: string) =>
  Type.String({ format: "date-time", ...(description ? { description } : {}) });
