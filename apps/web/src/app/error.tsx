"use client";

import { useEffect } from "react";

/** Route-level error boundary: something threw while rendering a page. */
export default function ErrorPage({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  useEffect(() => {
    console.error(error);
  }, [error]);

  return (
    <section className="card error-box" role="alert">
      <h2>Something went wrong</h2>
      <p className="muted">
        This page failed to render{error.digest ? ` (reference ${error.digest})` : ""}. Try again; if it keeps
        happening, check the API logs.
      </p>
      <button type="button" className="button" onClick={reset}>
        Try again
      </button>
    </section>
  );
}
