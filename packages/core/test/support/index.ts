// What other packages' tests and benchmarks may use: real certificates built in code, and the
// host-side facts of a healthy SCOM channel certificate.
export * from "./certificates";
export { HEALTHY_FACTS } from "./fixture";
