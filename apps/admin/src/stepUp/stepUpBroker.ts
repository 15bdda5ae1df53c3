/**
 * Connects the HTTP client, which meets `403 recent_mfa_required`, to the one dialog that asks the
 * member of staff to prove their second factor again. Requests made while a dialog is open share it.
 */
type Settle = (verified: boolean) => void;
type Host = (settle: Settle) => void;

let host: Host | null = null;
let pending: Promise<boolean> | null = null;

/** Registers the dialog host; returns the function that unregisters it. */
export function registerStepUpHost(next: Host): () => void {
  host = next;
  return () => {
    if (host === next) host = null;
  };
}

/** Asks for a step-up: true once a second factor was proven, false when cancelled or no dialog is mounted. */
export function requestStepUp(): Promise<boolean> {
  const current = host;
  if (!current) return Promise.resolve(false);
  pending ??= new Promise<boolean>((resolve) => current(resolve)).finally(() => {
    pending = null;
  });
  return pending;
}
