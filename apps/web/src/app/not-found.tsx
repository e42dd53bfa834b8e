import Link from "next/link";

export default function NotFound() {
  return (
    <section className="card">
      <h2>Page not found</h2>
      <p className="muted">There is nothing at this address.</p>
      <Link href="/" className="button">
        Back to overview
      </Link>
    </section>
  );
}
