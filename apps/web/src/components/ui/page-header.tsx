import type { ReactNode } from "react";

/** The page's own title (h2: the site name is the document's h1) with optional context and actions. */
export function PageHeader({
  title,
  eyebrow,
  children,
  actions,
}: {
  title: ReactNode;
  eyebrow?: ReactNode;
  children?: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <div className="page-header">
      <div className="page-header-text">
        {eyebrow ? <div className="eyebrow">{eyebrow}</div> : null}
        <h2 className="page-title">{title}</h2>
        {children ? <div className="page-lede">{children}</div> : null}
      </div>
      {actions ? <div className="page-actions">{actions}</div> : null}
    </div>
  );
}
