"use client";

import type { PasswordChangeBody, Session } from "@certfleet/contracts";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { ApiError } from "./api";
import { sessionKeys } from "./query-keys";
import { useSend } from "./session";

/** The API's 403 for a session that must choose a new password first (apps/api/src/plugins/auth.ts). */
export const PASSWORD_CHANGE_REQUIRED = "https://certfleet.dev/problems/password-change-required";

export function isPasswordChangeRequired(error: unknown): boolean {
  return (
    error instanceof ApiError && error.status === 403 && error.problem?.type === PASSWORD_CHANGE_REQUIRED
  );
}

/**
 * Changes the signed-in user's own password. The API ends their other sessions and answers this
 * one's session afresh (no longer flagged), which replaces the cached session.
 */
export function useChangePassword() {
  const send = useSend();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: PasswordChangeBody) => send<Session>("/api/v1/auth/password", "POST", body),
    onSuccess: (session) => queryClient.setQueryData(sessionKeys.current(), session),
  });
}
