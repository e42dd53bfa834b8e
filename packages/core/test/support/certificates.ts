export * from "@certfleet/pki";
