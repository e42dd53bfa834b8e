export * from "./report";
export * from "./results";
