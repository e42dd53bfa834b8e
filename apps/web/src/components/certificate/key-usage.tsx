/**
 * KeyUsage as the API reports it: Windows' CERT_KEY_USAGE bits (digitalSignature = 0x80 … the
 * .inf's 0xf0), decipherOnly in the second byte. SCOM needs digitalSignature and keyEncipherment.
 */
const BITS: { bit: number; name: string; required?: boolean }[] = [
  { bit: 0x80, name: "Digital signature", required: true },
  { bit: 0x40, name: "Non-repudiation" },
  { bit: 0x20, name: "Key encipherment", required: true },
  { bit: 0x10, name: "Data encipherment" },
  { bit: 0x08, name: "Key agreement" },
  { bit: 0x04, name: "Certificate signing" },
  { bit: 0x02, name: "CRL signing" },
  { bit: 0x01, name: "Encipher only" },
  { bit: 0x8000, name: "Decipher only" },
];

export function KeyUsage({ value }: { value: number | null }) {
  const hex = value === null ? null : `0x${value.toString(16).padStart(2, "0")}`;
  return (
    <div>
      <h4 className="subheading">
        Key usage {hex ? <code className="muted small hex-inline">{hex}</code> : null}
      </h4>
      {value === null ? (
        <p className="tone-text-error small">
          No KeyUsage extension; SCOM needs Digital signature and Key encipherment.
        </p>
      ) : (
        <ul className="bit-list">
          {BITS.filter(({ bit, required }) => required || (value & bit) !== 0).map(
            ({ bit, name, required }) => {
              const set = (value & bit) !== 0;
              const tone = set ? (required ? "ok" : "neutral") : "error";
              return (
                <li key={bit} className={`bit bit-${tone}`} data-set={set}>
                  <span aria-hidden="true" className="bit-mark">
                    {set ? "✓" : "✕"}
                  </span>
                  {name}
                  {required ? (
                    <span className="muted small"> (SCOM needs it{set ? "" : ": missing"})</span>
                  ) : null}
                </li>
              );
            },
          )}
        </ul>
      )}
    </div>
  );
}
