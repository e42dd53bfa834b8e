import type { TaskDetail } from "@certfleet/contracts";
import { CopyButton } from "@/components/ui/copy-button";

/** The renewal steps for this host, with the commands to run and where each step comes from. */
export function TaskChecklist({ task, canDownload }: { task: TaskDetail; canDownload: boolean }) {
  return (
    <section className="card" aria-labelledby="checklist-heading" data-testid="task-checklist">
      <div className="card-header">
        <h3 id="checklist-heading">Renewal checklist</h3>
        {canDownload ? (
          <a href={task.certReqUrl} download className="button button-secondary button-small">
            Download CertReq .inf
          </a>
        ) : null}
      </div>
      <CertReqTemplateNote template={task.certReqTemplate} />
      <ol className="checklist">
        {task.checklist.map((step) => (
          <li key={step.id} className="checklist-step" data-step={step.id}>
            <div className="checklist-body">
              <h4>{step.title}</h4>
              <p>{step.detail}</p>
              {step.command ? (
                <div className="command">
                  <pre>
                    <code>{step.command}</code>
                  </pre>
                  <CopyButton text={step.command} />
                </div>
              ) : null}
              <p className="small muted">{step.seedReference}</p>
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** Which template the .inf requests and why; with none, a warning that someone must set it first. */
function CertReqTemplateNote({ template }: { template: TaskDetail["certReqTemplate"] }) {
  if (template.name === null)
    return (
      <p className="notice" data-testid="certreq-template" role="note">
        The CertReq .inf names no certificate template: {template.explanation}.
      </p>
    );
  return (
    <p className="small muted" data-testid="certreq-template">
      The .inf requests template “{template.name}”: {template.explanation}.
    </p>
  );
}
