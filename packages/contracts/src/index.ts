export * from "./estate";
export * from "./report";
export * from "./results";
export * from "./stream";
